/**
 * The endpoint registry: the one place where Service names, ports and URLs of the stack are defined.
 *
 * Components build their Services and container ports from these endpoints, and every URL one
 * component uses to reach another (remote write, log push, OTLP, datasource URLs) is derived here, so a
 * port changed in the config changes both ends at once. The NetworkPolicies and the wiring diagram read
 * the same data.
 */
import type { StackConfig } from '../config/types';

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
  | 'demo-traffic';

/** One port of one component, reachable through the component's Service. */
export interface Endpoint {
  readonly component: ComponentName;
  /** Port name on the Service and the container (IANA-style, at most 15 characters). */
  readonly portName: string;
  readonly port: number;
  /** Application protocol spoken on the port. */
  readonly protocol: 'http' | 'grpc';
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

function endpoint(
  component: ComponentName,
  namespace: string,
  portName: string,
  port: number,
  protocol: 'http' | 'grpc' = 'http',
  service: string = component,
): Endpoint {
  const host = `${service}.${namespace}.svc`;
  return { component, portName, port, protocol, service, namespace, host, address: `${host}:${port}`, url: `http://${host}:${port}` };
}

export interface Endpoints {
  readonly prometheus: { readonly http: Endpoint };
  readonly cadvisor: { readonly http: Endpoint };
  readonly loki: { readonly http: Endpoint; readonly grpc: Endpoint };
  readonly promtail: { readonly http: Endpoint };
  readonly alloy: { readonly http: Endpoint };
  readonly tempo: {
    readonly http: Endpoint;
    readonly grpc: Endpoint;
    readonly otlpGrpc: Endpoint;
    readonly otlpHttp: Endpoint;
    readonly jaegerGrpc: Endpoint;
    readonly jaegerThriftHttp: Endpoint;
    readonly zipkin: Endpoint;
  };
  readonly grafana: { readonly http: Endpoint };
  readonly demoFrontend: { readonly http: Endpoint };
  readonly demoBackend: { readonly http: Endpoint };
}

/** Every endpoint of the stack for one config. */
export function buildEndpoints(cfg: StackConfig): Endpoints {
  const ns = cfg.common.namespace;
  const agents = cfg.common.agentNamespace;
  const p = cfg.ports;
  return {
    prometheus: { http: endpoint('prometheus', ns, METRICS_PORT_NAME, p.prometheus.http) },
    cadvisor: { http: endpoint('cadvisor', agents, METRICS_PORT_NAME, p.cadvisor.http) },
    loki: {
      http: endpoint('loki', ns, METRICS_PORT_NAME, p.loki.http),
      grpc: endpoint('loki', ns, 'grpc', p.loki.grpc, 'grpc'),
    },
    promtail: { http: endpoint('promtail', agents, METRICS_PORT_NAME, p.promtail.http) },
    alloy: { http: endpoint('alloy', agents, METRICS_PORT_NAME, p.alloy.http) },
    tempo: {
      http: endpoint('tempo', ns, METRICS_PORT_NAME, p.tempo.http),
      grpc: endpoint('tempo', ns, 'grpc', p.tempo.grpc, 'grpc'),
      otlpGrpc: endpoint('tempo', ns, 'otlp-grpc', p.tempo.otlpGrpc, 'grpc'),
      otlpHttp: endpoint('tempo', ns, 'otlp-http', p.tempo.otlpHttp),
      jaegerGrpc: endpoint('tempo', ns, 'jaeger-grpc', p.tempo.jaegerGrpc, 'grpc'),
      jaegerThriftHttp: endpoint('tempo', ns, 'jaeger-http', p.tempo.jaegerThriftHttp),
      zipkin: endpoint('tempo', ns, 'zipkin', p.tempo.zipkin),
    },
    grafana: { http: endpoint('grafana', ns, 'http', p.grafana.http) },
    demoFrontend: { http: endpoint('demo-frontend', ns, METRICS_PORT_NAME, p.demo.http) },
    demoBackend: { http: endpoint('demo-backend', ns, METRICS_PORT_NAME, p.demo.http) },
  };
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

/** Prometheus remote-write URL (Tempo's metrics-generator writes span metrics and service graphs here). */
export function prometheusRemoteWriteUrl(eps: Endpoints): string {
  return eps.prometheus.http.url + API_PATHS.prometheusRemoteWrite;
}

/** Loki push URL for the log agents. */
export function lokiPushUrl(eps: Endpoints): string {
  return eps.loki.http.url + API_PATHS.lokiPush;
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
