/**
 * The endpoint registry: the one place where Service names, ports and URLs of the stack are defined.
 *
 * Components build their Services and container ports from these endpoints, and every URL one
 * component uses to reach another (remote write, log push, OTLP, datasource URLs) is derived here, so a
 * port changed in the config changes both ends at once. The NetworkPolicies and the wiring diagram read
 * the same data.
 */
import type { StackConfig } from '../config/types';
import type { WiredEndpoint } from './wiring';

export type ComponentName =
  | 'prometheus'
  | 'cadvisor'
  | 'loki'
  | 'promtail'
  | 'alloy'
  | 'tempo'
  | 'grafana'
  | 'demo-frontend'
  | 'demo-backend'
  | 'demo-worker'
  | 'kafka'
  /** A pure client (no endpoint of its own): the example traffic generator. */
  | 'demo-traffic'
  // Cluster monitoring (#18): two components of the stack, and three parts of the cluster it scrapes.
  | 'node-exporter'
  | 'kube-state-metrics'
  | 'kubelet'
  | 'kube-apiserver'
  | 'coredns'
  // Alerting and the OTLP gateway (#19).
  | 'alertmanager'
  | 'otlp-gateway';

/**
 * Where an endpoint's listener is, for the NetworkPolicies:
 * - `stack-pods` (the default): pods of the component, named by its selector labels;
 * - `nodes`: the node addresses (the kubelet; pods with `hostNetwork`, which `ownPods` says the stack
 *   runs), which only an ipBlock (`networkPolicy.nodes.cidrs`) can name;
 * - `cluster-pods`: pods the cluster runs in `namespace` (CoreDNS), named by `podSelector`;
 * - `api-server`: the Kubernetes API, named by `networkPolicy.kubeApiServer`.
 * Only `stack-pods` and the stack's own host-network pods get an ingress policy of the stack.
 */
export type EndpointPeer =
  | { readonly kind: 'stack-pods' }
  | { readonly kind: 'nodes'; readonly ownPods: boolean }
  | { readonly kind: 'cluster-pods'; readonly podSelector: Readonly<Record<string, string>> }
  | { readonly kind: 'api-server' };

/** One port of one component, reachable through the component's Service. */
export interface Endpoint {
  readonly component: ComponentName;
  /** Port name on the Service and the container (IANA-style, at most 15 characters). */
  readonly portName: string;
  readonly port: number;
  /** Application protocol spoken on the port (`tcp`: plain TCP, e.g. memberlist gossip). */
  readonly protocol: 'http' | 'grpc' | 'tcp';
  /** Service name. */
  readonly service: string;
  readonly namespace: string;
  /** `<service>.<namespace>.svc`: resolves in any cluster domain. */
  readonly host: string;
  /** `host:port`. */
  readonly address: string;
  /** `http://host:port` (no trailing slash). */
  readonly url: string;
  /** Where the listener is, for the NetworkPolicies. @default { kind: 'stack-pods' } */
  readonly peer?: EndpointPeer;
  /** The port also carries UDP (Alertmanager's gossip): Services, containers and policies open both. @default false */
  readonly udp?: boolean;
}

/**
 * Container port name that carries a component's Prometheus metrics. The per-component scrape jobs keep
 * exactly this port, so a component exposes metrics by naming its port so.
 */
export const METRICS_PORT_NAME = 'http-metrics';

function endpoint(
  component: ComponentName,
  namespace: string,
  portName: string,
  port: number,
  protocol: 'http' | 'grpc' | 'tcp' = 'http',
  service: string = component,
): Endpoint {
  const host = `${service}.${namespace}.svc`;
  return { component, portName, port, protocol, service, namespace, host, address: `${host}:${port}`, url: `http://${host}:${port}` };
}

// --- Cluster monitoring (#18) -------------------------------------------------------------------------

/** Endpoints of cluster monitoring: node-exporter and kube-state-metrics, and the cluster parts scraped. */
export interface ClusterMonitoringEndpoints {
  /** node-exporter's Service; its pods use the node's network, so the listener is on each node address. */
  readonly nodeExporter: { readonly http: Endpoint };
  readonly kubeStateMetrics: { readonly http: Endpoint; readonly telemetry: Endpoint };
  /** Each node's kubelet (HTTPS); there is no Service: Prometheus finds the nodes through the API. */
  readonly kubelet: { readonly https: Endpoint };
  /** The API server behind the `kubernetes` Service of `default` (Prometheus scrapes each endpoint). */
  readonly apiServer: { readonly https: Endpoint };
  /** CoreDNS's metrics port on the pods `networkPolicy.dns` names (the cluster DNS Service does not always expose it). */
  readonly coredns: { readonly metrics: Endpoint };
}

/** Name of the `kubernetes` Service every cluster has in `default`, in front of the API server. */
export const KUBERNETES_SERVICE = { name: 'kubernetes', namespace: 'default', port: 443, portName: 'https' } as const;

export function clusterMonitoringEndpoints(cfg: StackConfig): ClusterMonitoringEndpoints {
  const ns = cfg.common.namespace;
  const agents = cfg.common.agentNamespace;
  const dns = cfg.networkPolicy.dns;
  const api = KUBERNETES_SERVICE;
  const apiHost = `${api.name}.${api.namespace}.svc`;
  return {
    nodeExporter: { http: { ...endpoint('node-exporter', agents, METRICS_PORT_NAME, cfg.nodeExporter.port), peer: { kind: 'nodes', ownPods: true } } },
    kubeStateMetrics: {
      http: endpoint('kube-state-metrics', ns, METRICS_PORT_NAME, cfg.kubeStateMetrics.port),
      telemetry: endpoint('kube-state-metrics', ns, 'http-telemetry', cfg.kubeStateMetrics.telemetryPort),
    },
    kubelet: {
      https: {
        component: 'kubelet', portName: 'https-metrics', port: cfg.kubernetes.kubelet.port, protocol: 'http',
        // No Service and no namespace: one listener per node address.
        service: '', namespace: '', host: '', address: '', url: '',
        peer: { kind: 'nodes', ownPods: false },
      },
    },
    apiServer: {
      https: {
        component: 'kube-apiserver', portName: api.portName, port: api.port, protocol: 'http',
        service: api.name, namespace: api.namespace, host: apiHost, address: `${apiHost}:${api.port}`, url: `https://${apiHost}:${api.port}`,
        peer: { kind: 'api-server' },
      },
    },
    coredns: {
      metrics: {
        component: 'coredns', portName: 'metrics', port: cfg.kubernetes.coredns.port, protocol: 'http',
        // Pods, not a Service: scraped one by one through pod discovery.
        service: '', namespace: dns.namespace, host: '', address: '', url: '',
        peer: { kind: 'cluster-pods', podSelector: { ...dns.podSelector } },
      },
    },
  };
}

/** Loki's simple-scalable Services. */
export interface LokiScalableEndpoints {
  /** Write Service: where log agents push. */
  readonly push: Endpoint;
  /** Read Service: where Grafana queries. */
  readonly query: Endpoint;
  readonly writeGrpc: Endpoint;
  readonly backendHttp: Endpoint;
  readonly backendGrpc: Endpoint;
  /** Headless Service over the backend pods: the index gateway client and the compactor address resolve it. */
  readonly backendHeadlessGrpc: Endpoint;
  /** Headless Service over every Loki pod: the memberlist join address. */
  readonly memberlist: Endpoint;
}

export interface Endpoints {
  readonly prometheus: { readonly http: Endpoint };
  readonly cadvisor: { readonly http: Endpoint };
  /**
   * Monolithic: one Service `loki` (http, grpc). Simple-scalable: `http` and `grpc` are the read Service
   * (the query entry point); the other endpoints below exist. Clients take `lokiPushEndpoint` and
   * `lokiQueryEndpoint`, which fall back to `http` where the simple-scalable ones are absent (monolithic,
   * and the Helm path until it renders the scalable chart).
   */
  readonly loki: {
    readonly http: Endpoint;
    readonly grpc: Endpoint;
    readonly scalable?: LokiScalableEndpoints;
  };
  readonly promtail: { readonly http: Endpoint };
  readonly alloy: { readonly http: Endpoint };
  readonly tempo: {
    readonly http: Endpoint;
    readonly grpc: Endpoint;
    /** Headless Service over every Tempo pod: memberlist join address (only with more than one replica). */
    readonly memberlist?: Endpoint;
    readonly otlpGrpc: Endpoint;
    readonly otlpHttp: Endpoint;
    readonly jaegerGrpc: Endpoint;
    readonly jaegerThriftHttp: Endpoint;
    readonly zipkin: Endpoint;
  };
  readonly grafana: { readonly http: Endpoint };
  readonly demoFrontend: { readonly http: Endpoint };
  readonly demoBackend: { readonly http: Endpoint };
  /** The Kafka worker's metrics and probes (it serves no requests). */
  readonly demoWorker: { readonly http: Endpoint };
  /** The Kafka broker's client listener (`bootstrap.servers` of the example services). */
  readonly kafka: { readonly client: Endpoint };
  readonly alertmanager: AlertmanagerEndpoints;
  readonly otlpGateway: OtlpGatewayEndpoints;
}

/** Service names of the Alertmanager: the API, and the headless Service that names the pods and carries the gossip. */
export const ALERTMANAGER_SERVICES = { main: 'alertmanager', headless: 'alertmanager-headless' } as const;

export interface AlertmanagerEndpoints {
  /** API, UI and metrics, balanced over the replicas (Grafana, people). */
  readonly http: Endpoint;
  /** The same port on the headless Service: each replica by its pod name (Prometheus notifies every one). */
  readonly peers: Endpoint;
  /** Gossip between replicas (TCP and UDP), only with more than one replica. */
  readonly cluster?: Endpoint;
}

/** The OTLP gateway's Service: OTLP over gRPC and HTTP, and Alloy's own HTTP server (metrics, readiness). */
export interface OtlpGatewayEndpoints {
  readonly grpc: Endpoint;
  readonly http: Endpoint;
  readonly metrics: Endpoint;
}

/** Every endpoint of the stack for one config. */
export function buildEndpoints(cfg: StackConfig): Endpoints {
  const ns = cfg.common.namespace;
  const demoPortName = cfg.demo.otlp === 'all' ? 'http' : METRICS_PORT_NAME;
  const agents = cfg.common.agentNamespace;
  return {
    prometheus: { http: endpoint('prometheus', ns, METRICS_PORT_NAME, cfg.prometheus.ports.http) },
    cadvisor: { http: endpoint('cadvisor', agents, METRICS_PORT_NAME, cfg.cadvisor.ports.http) },
    loki: lokiEndpoints(cfg),
    promtail: { http: endpoint('promtail', agents, METRICS_PORT_NAME, cfg.promtail.ports.http) },
    alloy: { http: endpoint('alloy', agents, METRICS_PORT_NAME, cfg.alloy.ports.http) },
    tempo: {
      http: endpoint('tempo', ns, METRICS_PORT_NAME, cfg.tempo.ports.http),
      grpc: endpoint('tempo', ns, 'grpc', cfg.tempo.ports.grpc, 'grpc'),
      ...(cfg.tempo.replicas > 1 ? { memberlist: endpoint('tempo', ns, 'memberlist', cfg.tempo.ports.memberlist, 'tcp', 'tempo-memberlist') } : {}),
      otlpGrpc: endpoint('tempo', ns, 'otlp-grpc', cfg.tempo.ports.otlpGrpc, 'grpc'),
      otlpHttp: endpoint('tempo', ns, 'otlp-http', cfg.tempo.ports.otlpHttp),
      jaegerGrpc: endpoint('tempo', ns, 'jaeger-grpc', cfg.tempo.ports.jaegerGrpc, 'grpc'),
      jaegerThriftHttp: endpoint('tempo', ns, 'jaeger-http', cfg.tempo.ports.jaegerThriftHttp),
      zipkin: endpoint('tempo', ns, 'zipkin', cfg.tempo.ports.zipkin),
    },
    grafana: { http: endpoint('grafana', ns, 'http', cfg.grafana.ports.http) },
    // With every signal over OTLP the port serves requests and probes only: no metrics are scraped there.
    demoFrontend: { http: endpoint('demo-frontend', ns, demoPortName, cfg.demo.ports.http) },
    demoBackend: { http: endpoint('demo-backend', ns, demoPortName, cfg.demo.ports.http) },
    demoWorker: { http: endpoint('demo-worker', ns, demoPortName, cfg.demo.ports.http) },
    // Kafka's binary protocol: plain TCP as far as Kubernetes is concerned.
    kafka: { client: endpoint('kafka', ns, 'kafka', cfg.kafka.ports.client, 'tcp') },
    alertmanager: {
      http: endpoint('alertmanager', ns, METRICS_PORT_NAME, cfg.alertmanager.ports.http, 'http', ALERTMANAGER_SERVICES.main),
      peers: endpoint('alertmanager', ns, METRICS_PORT_NAME, cfg.alertmanager.ports.http, 'http', ALERTMANAGER_SERVICES.headless),
      ...(cfg.alertmanager.replicas > 1
        ? { cluster: { ...endpoint('alertmanager', ns, 'cluster', cfg.alertmanager.ports.cluster, 'tcp', ALERTMANAGER_SERVICES.headless), udp: true } }
        : {}),
    },
    otlpGateway: {
      grpc: endpoint('otlp-gateway', ns, 'otlp-grpc', cfg.otlpGateway.ports.grpc, 'grpc'),
      http: endpoint('otlp-gateway', ns, 'otlp-http', cfg.otlpGateway.ports.http),
      metrics: endpoint('otlp-gateway', ns, METRICS_PORT_NAME, cfg.otlpGateway.ports.metrics),
    },
  };
}

/**
 * `<pod>.<headless Service>.<namespace>.svc:<port>` of each Alertmanager replica: the StatefulSet is named
 * like its headless Service without `-headless` (here and in the Helm chart), so its pods are `<that>-<i>`.
 */
export function alertmanagerPodAddresses(peers: Endpoint, replicas: number, port: number = peers.port): string[] {
  const statefulSet = peers.service.replace(/-headless$/, '');
  return Array.from({ length: replicas }, (_, i) => `${statefulSet}-${i}.${peers.service}.${peers.namespace}.svc:${port}`);
}

/** Service names of Loki's simple-scalable targets. */
export const LOKI_SERVICES = {
  monolithic: 'loki',
  write: 'loki-write',
  read: 'loki-read',
  backend: 'loki-backend',
  backendHeadless: 'loki-backend-headless',
  memberlist: 'loki-memberlist',
} as const;

function lokiEndpoints(cfg: StackConfig): Endpoints['loki'] {
  const ns = cfg.common.namespace;
  const p = cfg.loki.ports;
  const http = (service: string) => endpoint('loki', ns, METRICS_PORT_NAME, p.http, 'http', service);
  const grpc = (service: string) => endpoint('loki', ns, 'grpc', p.grpc, 'grpc', service);
  if (cfg.loki.mode !== 'simple-scalable') return { http: http(LOKI_SERVICES.monolithic), grpc: grpc(LOKI_SERVICES.monolithic) };
  const read = http(LOKI_SERVICES.read);
  return {
    http: read,
    grpc: grpc(LOKI_SERVICES.read),
    scalable: {
      push: http(LOKI_SERVICES.write),
      query: read,
      writeGrpc: grpc(LOKI_SERVICES.write),
      backendHttp: http(LOKI_SERVICES.backend),
      backendGrpc: grpc(LOKI_SERVICES.backend),
      backendHeadlessGrpc: grpc(LOKI_SERVICES.backendHeadless),
      memberlist: endpoint('loki', ns, 'memberlist', p.memberlist, 'tcp', LOKI_SERVICES.memberlist),
    },
  };
}

/** Where log agents push logs: the write Service in simple-scalable mode, else Loki's one Service. */
export function lokiPushEndpoint(eps: Endpoints): Endpoint {
  return eps.loki.scalable?.push ?? eps.loki.http;
}

/** Where Grafana queries logs: the read Service in simple-scalable mode, else Loki's one Service. */
export function lokiQueryEndpoint(eps: Endpoints): Endpoint {
  return eps.loki.scalable?.query ?? eps.loki.http;
}

/** URL paths of the upstream APIs the stack calls, in one place. */
export const API_PATHS = {
  /** Prometheus remote-write receiver (needs `--web.enable-remote-write-receiver`). */
  prometheusRemoteWrite: '/api/v1/write',
  /** Loki push API used by Promtail and Alloy. */
  lokiPush: '/loki/api/v1/push',
  /** OTLP/HTTP signal paths (exporters append them to `OTEL_EXPORTER_OTLP_ENDPOINT`). */
  otlpHttpTraces: '/v1/traces',
  otlpHttpMetrics: '/v1/metrics',
  otlpHttpLogs: '/v1/logs',
  /** Prometheus's OTLP receiver (needs `--web.enable-otlp-receiver`); the signal path follows. */
  prometheusOtlp: '/api/v1/otlp',
  /** Loki's OTLP endpoint; the signal path follows. */
  lokiOtlp: '/otlp',
} as const;

/** The OTLP/HTTP path of each signal. */
export const OTLP_SIGNAL_PATHS = { traces: API_PATHS.otlpHttpTraces, metrics: API_PATHS.otlpHttpMetrics, logs: API_PATHS.otlpHttpLogs } as const;
export type OtlpSignal = keyof typeof OTLP_SIGNAL_PATHS;

/** Prometheus remote-write URL on the wired Prometheus endpoint (Tempo's metrics-generator writes here). */
export function prometheusRemoteWriteUrl(prometheus: WiredEndpoint): string {
  return prometheus.url + API_PATHS.prometheusRemoteWrite;
}

/** Loki push URL on the wired push endpoint (`lokiPushEndpoint`), for the log agents. */
export function lokiPushUrl(push: WiredEndpoint): string {
  return push.url + API_PATHS.lokiPush;
}

/** Prometheus's OTLP base URL on the wired Prometheus endpoint (the OTLP gateway appends `/v1/metrics`). */
export function prometheusOtlpUrl(prometheus: WiredEndpoint): string {
  return prometheus.url + API_PATHS.prometheusOtlp;
}

/** Loki's OTLP base URL on the wired push endpoint (the OTLP gateway appends `/v1/logs`). */
export function lokiOtlpUrl(push: WiredEndpoint): string {
  return push.url + API_PATHS.lokiOtlp;
}

/**
 * The OTLP endpoint services in the cluster export traces to: `OTEL_EXPORTER_OTLP_ENDPOINT` with
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`. The gRPC variant is `otlpGrpcEndpoint`.
 */
export function otlpHttpEndpoint(eps: Endpoints): string {
  return eps.tempo.otlpHttp.url;
}

/**
 * The OTLP/gRPC variant: `OTEL_EXPORTER_OTLP_ENDPOINT` with `OTEL_EXPORTER_OTLP_PROTOCOL=grpc`. The SDKs
 * take a URL here too; `http://` means plaintext (no TLS).
 */
export function otlpGrpcEndpoint(eps: Endpoints): string {
  return eps.tempo.otlpGrpc.url;
}
