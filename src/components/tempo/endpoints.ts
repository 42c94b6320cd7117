/** Tempo's endpoints: its API, the memberlist Service, every receiver, and the OTLP URLs applications export to. */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';
import type { DatasourceIdentity } from '../../lib/datasources';

export const TEMPO_NAMES = ['tempo'] as const;
export type TempoName = (typeof TEMPO_NAMES)[number];

export type TempoEndpoints = {
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

export function tempoEndpoints(cfg: StackConfig): TempoEndpoints {
  const ns = cfg.common.namespace;
  const p = cfg.tempo.ports;
  return {
    http: endpoint('tempo', ns, METRICS_PORT_NAME, p.http),
    grpc: endpoint('tempo', ns, 'grpc', p.grpc, 'grpc'),
    ...(cfg.tempo.replicas > 1 ? { memberlist: endpoint('tempo', ns, 'memberlist', p.memberlist, 'tcp', 'tempo-memberlist') } : {}),
    otlpGrpc: endpoint('tempo', ns, 'otlp-grpc', p.otlpGrpc, 'grpc'),
    otlpHttp: endpoint('tempo', ns, 'otlp-http', p.otlpHttp),
    jaegerGrpc: endpoint('tempo', ns, 'jaeger-grpc', p.jaegerGrpc, 'grpc'),
    jaegerThriftHttp: endpoint('tempo', ns, 'jaeger-http', p.jaegerThriftHttp),
    zipkin: endpoint('tempo', ns, 'zipkin', p.zipkin),
  };
}

export const TEMPO_ENDPOINTS = { tempo: tempoEndpoints } as const satisfies EndpointBuilders;

/**
 * The OTLP endpoint services in the cluster export traces to: `OTEL_EXPORTER_OTLP_ENDPOINT` with
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`. The gRPC variant is `otlpGrpcEndpoint`.
 */
export function otlpHttpEndpoint(eps: { readonly tempo: TempoEndpoints }): string {
  return eps.tempo.otlpHttp.url;
}

/**
 * The OTLP/gRPC variant: `OTEL_EXPORTER_OTLP_ENDPOINT` with `OTEL_EXPORTER_OTLP_PROTOCOL=grpc`. The SDKs
 * take a URL here too; `http://` means plaintext (no TLS).
 */
export function otlpGrpcEndpoint(eps: { readonly tempo: TempoEndpoints }): string {
  return eps.tempo.otlpGrpc.url;
}

/** Its datasource (`src/lib/datasources.ts`): the traces role. */
export const TEMPO_DATASOURCE = { role: 'traces', uid: 'tempo', name: 'Tempo', type: 'tempo' } as const satisfies DatasourceIdentity;
