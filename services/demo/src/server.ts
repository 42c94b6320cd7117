/**
 * The HTTP server every role runs: a tiny router over `node:http` (the traced module), RED metrics and one
 * log line per request, health endpoints, and a graceful shutdown.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import type { Logger } from './logger';
import type { RedMetrics } from './metrics';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export interface RequestContext {
  readonly req: IncomingMessage;
  /** Values of the `:name` segments of the route template. */
  readonly params: Readonly<Record<string, string>>;
  readonly log: Logger;
}

export interface Route {
  readonly method: string;
  /** Template such as `/api/orders/:id`; it is the `route` label and the `http.route` span attribute. */
  readonly path: string;
  readonly handler: (ctx: RequestContext) => Promise<Reply>;
}

/** The `route` label of requests no route matched (never the raw path: that would grow series without bound). */
export const UNMATCHED_ROUTE = 'unmatched';

export function matchRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
  const parts = pathname.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const tpl = route.path.split('/');
    if (tpl.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < tpl.length && ok; i++) {
      if (tpl[i].startsWith(':') && parts[i] !== '') params[tpl[i].slice(1)] = decodeURIComponent(parts[i]);
      else ok = tpl[i] === parts[i];
    }
    if (ok) return { route, params };
  }
  return undefined;
}

export interface ServerOptions {
  readonly host: string;
  readonly port: number;
  readonly routes: readonly Route[];
  readonly metrics: RedMetrics;
  readonly log: Logger;
  /** Called during shutdown after the last request finished: flush spans here. */
  readonly onDrained?: () => Promise<void>;
  readonly shutdownDelayMs: number;
  readonly shutdownTimeoutMs: number;
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish, then runs `onDrained`. */
  shutdown(reason: string): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, closing: boolean): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    // While draining, tell keep-alive clients to reconnect (to another replica).
    ...(closing ? { Connection: 'close' } : {}),
  });
  res.end(text);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A sleep that does not keep the process alive on its own. */
const unrefSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { log, metrics } = opts;
  let closing = false;
  let inFlight = 0;

  async function handleApp(req: IncomingMessage, res: ServerResponse, method: string, pathname: string): Promise<void> {
    const started = process.hrtime.bigint();
    const match = matchRoute(opts.routes, method, pathname);
    const routePath = match?.route.path ?? UNMATCHED_ROUTE;
    const span = trace.getActiveSpan();
    if (match) {
      // The HTTP instrumentation only knows the raw path; name the server span after the template.
      span?.setAttribute(ATTR_HTTP_ROUTE, routePath);
      span?.updateName(`${method} ${routePath}`);
    }
    let reply: Reply;
    try {
      reply = match ? await match.route.handler({ req, params: match.params, log }) : { status: 404, body: { error: 'not found' } };
    } catch (err) {
      log.error({ err }, 'handler failed');
      reply = { status: 500, body: { error: 'internal error' } };
    }
    // Recorded before the response is written, so a client that reads /metrics or the logs right after its
    // answer always finds its own request there.
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const sc = span?.spanContext();
    const traced = sc !== undefined && trace.isSpanContextValid(sc);
    metrics.observe({ method, route: routePath, status: reply.status, seconds, traceId: traced ? sc.traceId : undefined, spanId: traced ? sc.spanId : undefined });
    const level = reply.status >= 500 ? 'error' : reply.status >= 400 ? 'warn' : 'info';
    log[level]({ method, route: routePath, path: pathname, status: reply.status, duration_ms: Math.round(seconds * 1e4) / 10 }, 'request completed');
    send(res, reply.status, reply.body, closing);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (method === 'GET' && pathname === '/healthz') return send(res, 200, 'ok\n', closing);
    if (method === 'GET' && pathname === '/readyz') return send(res, closing ? 503 : 200, closing ? 'shutting down\n' : 'ready\n', closing);
    if (method === 'GET' && pathname === '/metrics') {
      const { contentType, body } = await metrics.render(req.headers.accept);
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    inFlight++;
    try {
      await handleApp(req, res, method, pathname);
    } finally {
      inFlight--;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' }, closing);
      else res.destroy();
    });
  });
  // Behind kube-proxy a client may reuse a connection for a while; keep it a little longer than typical
  // client idle timeouts so the server is not the side that closes first.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  function shutdown(reason: string): Promise<void> {
    stopping ??= (async () => {
      closing = true;
      log.info({ reason, in_flight: inFlight }, 'shutting down');
      // Kubernetes removes the pod from Service endpoints concurrently with SIGTERM: keep serving a moment.
      if (opts.shutdownDelayMs > 0) await sleep(opts.shutdownDelayMs);
      // close() stops accepting and resolves once every connection has ended: idle keep-alive connections
      // are closed now, busy ones after their response (sent with `Connection: close`).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = await Promise.race([closed.then(() => true), unrefSleep(opts.shutdownTimeoutMs).then(() => false)]);
      if (!drained) {
        log.warn({ in_flight: inFlight }, 'shutdown timeout: dropping in-flight requests');
        server.closeAllConnections();
        await closed;
      }
      if (opts.onDrained) await opts.onDrained();
      log.info('stopped');
    })();
    return stopping;
  }

  return { server, port, shutdown };
}
