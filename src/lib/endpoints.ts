/**
 * What an endpoint is: one port of one component, with its Service name and URL, and the factory the
 * components' endpoint builders use.
 *
 * Each component declares its endpoints in its own folder (`src/components/<name>/endpoints.ts`): the
 * builder, its Service names, the API paths and URL helpers its clients use. The registry
 * (`src/components/registry.ts`) assembles them into `Endpoints`. Components build their Services and
 * container ports from these endpoints, and every URL one component uses to reach another is derived from
 * them, so a port changed in the config changes both ends at once. The NetworkPolicies and the wiring
 * diagram read the same data.
 */
import type { ComponentName } from '../components/registry';
import type { StackConfig } from '../config/types';

/**
 * Where an endpoint's listener is, for the NetworkPolicies:
 * - `stack-pods` (the default): pods of the component, named by its selector labels;
 * - `nodes`: the node addresses (a listener on each node, or pods with `hostNetwork`, which `ownPods` says
 *   the stack runs), which only an ipBlock (`networkPolicy.nodes.cidrs`) can name;
 * - `cluster-pods`: pods the cluster runs in `namespace`, named by `podSelector`;
 * - `api-server`: the cluster's API server, named by `networkPolicy.kubeApiServer`.
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
  /** The port also carries UDP (gossip over both): Services, containers and policies open both. @default false */
  readonly udp?: boolean;
}

/**
 * Container port name that carries a component's metrics. The per-component scrape jobs keep exactly this
 * port, so a component exposes metrics by naming its port so.
 */
export const METRICS_PORT_NAME = 'http-metrics';

/** An endpoint on a Service of the stack (named like the component unless `service` is given). */
export function endpoint(
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

/** The endpoints of a component with one HTTP port (requests, metrics, probes). */
export type HttpEndpoints = { readonly http: Endpoint };

/**
 * What a component's `endpoints.ts` adds to the registry: a builder per key it adds to the stack's endpoints.
 * Builders return type literals (not interfaces), so a group of endpoints still reads as a record of them.
 */
export type EndpointBuilders = Readonly<Record<string, (cfg: StackConfig) => object>>;

/** The endpoints a table of builders gives for one config, by the same keys. */
export type BuiltEndpoints<B extends EndpointBuilders> = { readonly [K in keyof B]: ReturnType<B[K]> };

/** Runs every builder of the table on one config, keeping the table's key order. */
export function buildEndpointTable<B extends EndpointBuilders>(builders: B, cfg: StackConfig): BuiltEndpoints<B> {
  return Object.fromEntries(Object.entries(builders).map(([key, build]) => [key, build(cfg)])) as BuiltEndpoints<B>;
}

/** URL paths of the protocol every signal shares: OTLP/HTTP (a component's own API paths are in its `endpoints.ts`). */
export const API_PATHS = {
  /** OTLP/HTTP signal paths (exporters append them to `OTEL_EXPORTER_OTLP_ENDPOINT`). */
  otlpHttpTraces: '/v1/traces',
  otlpHttpMetrics: '/v1/metrics',
  otlpHttpLogs: '/v1/logs',
} as const;

/** The OTLP/HTTP path of each signal. */
export const OTLP_SIGNAL_PATHS = { traces: API_PATHS.otlpHttpTraces, metrics: API_PATHS.otlpHttpMetrics, logs: API_PATHS.otlpHttpLogs } as const;
export type OtlpSignal = keyof typeof OTLP_SIGNAL_PATHS;
