/**
 * Everything the services read from the environment, parsed once and validated, so a typo in a
 * Deployment fails at start with the variable's name instead of behaving oddly later.
 */

export type Role = 'frontend' | 'backend' | 'traffic';

export const ROLES: readonly Role[] = ['frontend', 'backend', 'traffic'];

export interface Settings {
  readonly role: Role;
  /** Listen port (0 = any free port; the chosen port is logged). */
  readonly port: number;
  /** Listen address. */
  readonly host: string;
  /** `service.name` of the traces and the `service` field of the logs. */
  readonly serviceName: string;
  /** Backend: fraction (0..1) of requests answered with HTTP 500. */
  readonly errorRatio: number;
  /** Backend: latency added to every request, in milliseconds. */
  readonly latencyMs: number;
  /** Backend: random extra latency in [0, jitterMs), in milliseconds. */
  readonly jitterMs: number;
  /** Backend: duration of the slow downstream step (its own span), in milliseconds. */
  readonly slowStepMs: number;
  /** Frontend: base URL of the backend. */
  readonly backendUrl: string;
  /** Frontend: timeout of a call to the backend, in milliseconds. */
  readonly backendTimeoutMs: number;
  /** Traffic: base URL of the frontend. */
  readonly frontendUrl: string;
  /** Traffic: requests per second. */
  readonly trafficRps: number;
  /** Pause between SIGTERM and closing the listener, so endpoints drop the pod before it stops accepting. */
  readonly shutdownDelayMs: number;
  /** Upper bound for draining in-flight requests after the listener is closed. */
  readonly shutdownTimeoutMs: number;
  /** pino level. */
  readonly logLevel: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function fail(name: string, value: string, message: string): never {
  throw new Error(`${name}=${JSON.stringify(value)}: ${message}`);
}

function num(env: Env, name: string, def: number, check: (n: number) => string | undefined): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n)) fail(name, raw, 'is not a number');
  const problem = check(n);
  if (problem !== undefined) fail(name, raw, problem);
  return n;
}

const nonNegative = (n: number): string | undefined => (n < 0 ? 'must be >= 0' : undefined);
const positive = (n: number): string | undefined => (n <= 0 ? 'must be > 0' : undefined);
const ratio = (n: number): string | undefined => (n < 0 || n > 1 ? 'must be between 0 and 1' : undefined);
const port = (n: number): string | undefined => (!Number.isInteger(n) || n < 0 || n > 65535 ? 'must be an integer port (0-65535)' : undefined);

function url(env: Env, name: string, def: string): string {
  const raw = env[name] ?? def;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:') fail(name, raw, 'must be an http:// URL');
  } catch (e) {
    if (e instanceof TypeError) fail(name, raw, 'is not a URL');
    throw e;
  }
  return raw.replace(/\/+$/, '');
}

export function loadSettings(env: Env = process.env): Settings {
  const roleRaw = env.ROLE ?? '';
  if (!(ROLES as readonly string[]).includes(roleRaw)) fail('ROLE', roleRaw, `must be one of ${ROLES.join(', ')}`);
  const role = roleRaw as Role;
  return {
    role,
    port: num(env, 'PORT', 8080, port),
    host: env.HOST ?? '0.0.0.0',
    serviceName: env.OTEL_SERVICE_NAME || `demo-${role}`,
    errorRatio: num(env, 'ERROR_RATIO', 0, ratio),
    latencyMs: num(env, 'LATENCY_MS', 0, nonNegative),
    jitterMs: num(env, 'JITTER_MS', 0, nonNegative),
    slowStepMs: num(env, 'SLOW_STEP_MS', 0, nonNegative),
    backendUrl: url(env, 'BACKEND_URL', 'http://demo-backend:8080'),
    backendTimeoutMs: num(env, 'BACKEND_TIMEOUT_MS', 5000, positive),
    frontendUrl: url(env, 'FRONTEND_URL', 'http://demo-frontend:8080'),
    trafficRps: num(env, 'TRAFFIC_RPS', 1, positive),
    shutdownDelayMs: num(env, 'SHUTDOWN_DELAY_MS', 0, nonNegative),
    shutdownTimeoutMs: num(env, 'SHUTDOWN_TIMEOUT_MS', 10000, positive),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
