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
// --- alerting and OTLP gateway (#19) ---
import { type AlertmanagerEndpoints, alertmanagerEndpoints } from '../components/alertmanager/endpoints';
import { type OtlpGatewayEndpoints, otlpGatewayEndpoints } from '../components/otlp-gateway/endpoints';

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
  /** A pure client (no endpoint of its own): the example traffic generator. */
  | 'demo-traffic'
  // --- alerting and OTLP gateway (#19) ---
  | 'alertmanager'
  | 'otlp-gateway';

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
}

/**
 * Container port name that carries a component's Prometheus metrics. The per-component scrape jobs keep
 * exactly this port, so a component exposes metrics by naming its port so.
 */
export const METRICS_PORT_NAME = 'http-metrics';

/** Builds one endpoint (exported for the component folders that define their own endpoints). */
export type EndpointFactory = typeof endpoint;

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
  // --- alerting and OTLP gateway (#19): built in the components' folders ---
  readonly alertmanager: AlertmanagerEndpoints;
  readonly otlpGateway: OtlpGatewayEndpoints;
}

/** Every endpoint of the stack for one config. */
export function buildEndpoints(cfg: StackConfig): Endpoints {
  const ns = cfg.common.namespace;
  const agents = cfg.common.agentNamespace;
  const p = cfg.ports;
  return {
    prometheus: { http: endpoint('prometheus', ns, METRICS_PORT_NAME, p.prometheus.http) },
    cadvisor: { http: endpoint('cadvisor', agents, METRICS_PORT_NAME, p.cadvisor.http) },
    loki: lokiEndpoints(cfg),
    promtail: { http: endpoint('promtail', agents, METRICS_PORT_NAME, p.promtail.http) },
    alloy: { http: endpoint('alloy', agents, METRICS_PORT_NAME, p.alloy.http) },
    tempo: {
      http: endpoint('tempo', ns, METRICS_PORT_NAME, p.tempo.http),
      grpc: endpoint('tempo', ns, 'grpc', p.tempo.grpc, 'grpc'),
      ...(cfg.tempo.replicas > 1 ? { memberlist: endpoint('tempo', ns, 'memberlist', p.tempo.memberlist, 'tcp', 'tempo-memberlist') } : {}),
      otlpGrpc: endpoint('tempo', ns, 'otlp-grpc', p.tempo.otlpGrpc, 'grpc'),
      otlpHttp: endpoint('tempo', ns, 'otlp-http', p.tempo.otlpHttp),
      jaegerGrpc: endpoint('tempo', ns, 'jaeger-grpc', p.tempo.jaegerGrpc, 'grpc'),
      jaegerThriftHttp: endpoint('tempo', ns, 'jaeger-http', p.tempo.jaegerThriftHttp),
      zipkin: endpoint('tempo', ns, 'zipkin', p.tempo.zipkin),
    },
    grafana: { http: endpoint('grafana', ns, 'http', p.grafana.http) },
    demoFrontend: { http: endpoint('demo-frontend', ns, METRICS_PORT_NAME, p.demo.http) },
    demoBackend: { http: endpoint('demo-backend', ns, METRICS_PORT_NAME, p.demo.http) },
    // --- alerting and OTLP gateway (#19) ---
    alertmanager: alertmanagerEndpoints(cfg, endpoint),
    otlpGateway: otlpGatewayEndpoints(cfg, endpoint),
  };
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
  const p = cfg.ports.loki;
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
  /** OTLP/HTTP traces path (exporters append it to `OTEL_EXPORTER_OTLP_ENDPOINT`). */
  otlpHttpTraces: '/v1/traces',
} as const;

/** Prometheus remote-write URL on the wired Prometheus endpoint (Tempo's metrics-generator writes here). */
export function prometheusRemoteWriteUrl(prometheus: WiredEndpoint): string {
  return prometheus.url + API_PATHS.prometheusRemoteWrite;
}

/** Loki push URL on the wired push endpoint (`lokiPushEndpoint`), for the log agents. */
export function lokiPushUrl(push: WiredEndpoint): string {
  return push.url + API_PATHS.lokiPush;
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
