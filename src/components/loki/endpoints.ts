/**
 * Loki's endpoints: its Services in either mode, the push and query entry points its clients take, and the
 * URLs they push to.
 */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';
import type { WiredEndpoint } from '../../lib/wiring';
import type { DatasourceIdentity } from '../../lib/datasources';

export const LOKI_NAMES = ['loki'] as const;
export type LokiName = (typeof LOKI_NAMES)[number];

/** Service names of Loki's simple-scalable targets. */
export const LOKI_SERVICES = {
  monolithic: 'loki',
  write: 'loki-write',
  read: 'loki-read',
  backend: 'loki-backend',
  backendHeadless: 'loki-backend-headless',
  memberlist: 'loki-memberlist',
} as const;

/** Loki's simple-scalable Services. */
export interface LokiScalableEndpoints {
  /** Write Service: where log agents push. */
  readonly push: Endpoint;
  /** Read Service: where queries go. */
  readonly query: Endpoint;
  readonly writeGrpc: Endpoint;
  readonly backendHttp: Endpoint;
  readonly backendGrpc: Endpoint;
  /** Headless Service over the backend pods: the index gateway client and the compactor address resolve it. */
  readonly backendHeadlessGrpc: Endpoint;
  /** Headless Service over every Loki pod: the memberlist join address. */
  readonly memberlist: Endpoint;
}

/**
 * Monolithic: one Service `loki` (http, grpc). Simple-scalable: `http` and `grpc` are the read Service
 * (the query entry point); the `scalable` endpoints exist. Clients take `lokiPushEndpoint` and
 * `lokiQueryEndpoint`, which fall back to `http` where the simple-scalable ones are absent (monolithic,
 * and the Helm path until it renders the scalable chart).
 */
export type LokiEndpoints = {
  readonly http: Endpoint;
  readonly grpc: Endpoint;
  readonly scalable?: LokiScalableEndpoints;
};

export function lokiEndpoints(cfg: StackConfig): LokiEndpoints {
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

export const LOKI_ENDPOINTS = { loki: lokiEndpoints } as const satisfies EndpointBuilders;

/** Where log agents push logs: the write Service in simple-scalable mode, else Loki's one Service. */
export function lokiPushEndpoint(eps: { readonly loki: LokiEndpoints }): Endpoint {
  return eps.loki.scalable?.push ?? eps.loki.http;
}

/** Where log queries go: the read Service in simple-scalable mode, else Loki's one Service. */
export function lokiQueryEndpoint(eps: { readonly loki: LokiEndpoints }): Endpoint {
  return eps.loki.scalable?.query ?? eps.loki.http;
}

/** URL paths of Loki's ingestion APIs. */
export const LOKI_API_PATHS = {
  /** Push API the log agents use. */
  push: '/loki/api/v1/push',
  /** OTLP endpoint; the signal path follows. */
  otlp: '/otlp',
} as const;

/** Loki push URL on the wired push endpoint (`lokiPushEndpoint`): the `logs-push` receiver's target, where the log agents push. */
export function lokiPushUrl(push: WiredEndpoint): string {
  return push.url + LOKI_API_PATHS.push;
}

/** Loki's OTLP base URL on the wired push endpoint (OTLP senders append `/v1/logs`). */
export function lokiOtlpUrl(push: WiredEndpoint): string {
  return push.url + LOKI_API_PATHS.otlp;
}

/** Header that names the tenant on every request to a multi-tenant Loki. */
export const LOKI_TENANT_HEADER = 'X-Scope-OrgID';

/** Multi-tenancy is on exactly when a tenant is configured. */
export function lokiAuthEnabled(tenant: string): boolean {
  return tenant !== '';
}

/**
 * Headers every Loki client (Grafana's datasource, scripts) must send: none for a single-tenant Loki, the
 * tenant header otherwise. The log agents send the same tenant through their own `tenant_id` setting.
 */
export function lokiTenantHeaders(tenant: string): Record<string, string> {
  return lokiAuthEnabled(tenant) ? { [LOKI_TENANT_HEADER]: tenant } : {};
}

/** Its datasource (`src/lib/datasources.ts`): the logs role. */
export const LOKI_DATASOURCE = { role: 'logs', uid: 'loki', name: 'Loki', type: 'loki' } as const satisfies DatasourceIdentity;
