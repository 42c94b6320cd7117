/**
 * Every limit obs-stack derives from a profile's resources instead of taking an upstream default that
 * contradicts them, each with its reason. `defaults.ts` says what a profile asks for (memory, retention,
 * rates); each component's `sizing.ts` says what that buys it (WAL replay ceilings, stream and series limits,
 * cache sizes, query concurrency) and the scale its limits allow (the descriptor's `readme.capacity`, the
 * README's scaling table). This file holds what they share: the timeouts along each request path and the
 * helpers. `test/verification/resources.test.ts` holds the rendered configs against the pods' own limits.
 *
 * Planning figures (bytes per series, per span, per log line) are ours: upstream publishes none. They are
 * deliberately on the high side, so the limits stop a component before its memory limit does.
 */
import type { ResourceSpec } from './types';
import { parseQuantity } from './units';

export const MiB = 2 ** 20;

/** Memory limit of a container in bytes. */
export function memoryLimitBytes(r: ResourceSpec): number {
  return parseQuantity(r.limits.memory) ?? 0;
}

/**
 * The timeout chains, in seconds. Reads: a query runs at most `query`, the backend's HTTP server may write
 * its answer (or the timeout error) until `backendWrite`, and Grafana waits `grafana` for it. Pushes: one
 * push attempt of a log agent gives up after `agentPush`, well inside the backend's `backendRead`, and the
 * agent retries (`agentBackoff`) for longer than Loki may take to restart.
 */
export const TIMEOUTS = {
  /** One query: Loki `limits_config.query_timeout` (its default), Tempo `query_frontend.api_timeout`, Grafana's Prometheus `queryTimeout`. */
  query: 60,
  /** Backend HTTP write timeout (`server.http_server_write_timeout`): the query plus time to send its error. */
  backendWrite: 90,
  /** Backend HTTP read timeout (`server.http_server_read_timeout`, dskit's default): a push body arrives well within it. */
  backendRead: 30,
  /** Grafana's HTTP timeout per datasource (`jsonData.timeout`) and `[dataproxy] timeout`: above every backend's write timeout. */
  grafana: 120,
  /** One push of a log agent (Promtail `timeout`, Alloy `remote_timeout`; both agents' default). */
  agentPush: 10,
  /** Log agents' retries: 500 ms doubling to 1 min, 20 times (about 14 minutes), longer than Loki's 10-minute start-up budget. */
  agentBackoff: { minSeconds: 0.5, maxSeconds: 60, retries: 20 },
} as const;

/**
 * The `server` block of a Grafana Labs store (dskit's, which each of them embeds): its ports, and HTTP timeouts
 * above the query timeout, so a query that runs out of time still gets its answer or its error written
 * (dskit's 30 s write timeout would cut it first).
 */
export function dskitServer(httpPort: number, grpcPort: number) {
  return {
    http_listen_port: httpPort,
    grpc_listen_port: grpcPort,
    http_server_read_timeout: `${TIMEOUTS.backendRead}s`,
    http_server_write_timeout: `${TIMEOUTS.backendWrite}s`,
    log_level: 'info' as const,
  };
}

/**
 * The least time an agent keeps retrying one batch before dropping it: each wait is at least the backoff
 * floor, which doubles from `minSeconds` up to `maxSeconds` (dskit's backoff, used by both agents).
 */
export function retryWindowSeconds(b: { readonly minSeconds: number; readonly maxSeconds: number; readonly retries: number }): number {
  let total = 0;
  for (let i = 0; i < b.retries; i++) total += Math.min(b.minSeconds * 2 ** i, b.maxSeconds);
  return total;
}
