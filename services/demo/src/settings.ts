/**
 * Everything the services read from the environment, parsed once and validated, so a typo in a
 * Deployment fails at start with the variable's name instead of behaving oddly later.
 */

export type Role = 'frontend' | 'backend' | 'traffic' | 'worker';

export const ROLES: readonly Role[] = ['frontend', 'backend', 'traffic', 'worker'];

/** The topic the frontend creates when it is missing, with the settings the stack hands over. */
export interface TopicSettings {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic configs by their Kafka names (`retention.ms`, `cleanup.policy`, ...). */
  readonly configs: Readonly<Record<string, string>>;
}

export interface Settings {
  readonly role: Role;
  /** Listen port (0 = any free port; the chosen port is logged). */
  readonly port: number;
  /** Listen address. */
  readonly host: string;
  /** `service.name` of the traces and the `service` field of the logs. */
  readonly serviceName: string;
  /** Backend and worker: fraction (0..1) of requests (messages) that fail. */
  readonly errorRatio: number;
  /** Backend and worker: latency added to every request (message), in milliseconds. */
  readonly latencyMs: number;
  /** Backend and worker: random extra latency in [0, jitterMs), in milliseconds. */
  readonly jitterMs: number;
  /** Backend and worker: duration of the slow step (its own span), in milliseconds. */
  readonly slowStepMs: number;
  /** Frontend: base URL of the backend. */
  readonly backendUrl: string;
  /** Frontend: timeout of a call to the backend, in milliseconds. */
  readonly backendTimeoutMs: number;
  /** Traffic: base URL of the frontend. */
  readonly frontendUrl: string;
  /** Traffic: requests per second. */
  readonly trafficRps: number;
  /**
   * Frontend and worker: Kafka bootstrap addresses (`host:port`). Empty on the frontend: it publishes no
   * events. The worker needs at least one.
   */
  readonly kafkaBrokers: readonly string[];
  /** Frontend and worker: the topic order events go to. */
  readonly topic: TopicSettings;
  /** Worker: the consumer group it joins. */
  readonly consumerGroup: string;
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

const integer = (check: (n: number) => string | undefined) => (n: number): string | undefined =>
  (Number.isInteger(n) ? check(n) : 'must be an integer');

/** `host:port,host:port`; each entry a DNS name or IPv4 address and a port. */
function brokers(env: Env, name: string): string[] {
  const raw = env[name] ?? '';
  if (raw.trim() === '') return [];
  const list = raw.split(',').map((b) => b.trim());
  for (const b of list) {
    const m = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/.exec(b);
    if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535) fail(name, raw, `"${b}" is not host:port`);
  }
  return list;
}

/** Kafka's own rule for topic and group names: letters, digits, ".", "_" and "-", at most 249. */
function kafkaName(env: Env, name: string, def: string): string {
  const raw = env[name] ?? def;
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(raw) || raw === '.' || raw === '..') fail(name, raw, 'must be letters, digits, ".", "_" or "-" (at most 249)');
  return raw;
}

/** `key=value,key=value` with Kafka topic-config keys (`retention.ms=86400000`). */
function topicConfigs(env: Env, name: string): Record<string, string> {
  const raw = env[name] ?? '';
  const out: Record<string, string> = {};
  if (raw.trim() === '') return out;
  for (const entry of raw.split(',')) {
    const m = /^\s*([a-z][a-z0-9.]*)=([^=,]+?)\s*$/.exec(entry);
    if (!m) fail(name, raw, `"${entry}" is not key=value with a Kafka topic-config key`);
    out[m[1]] = m[2];
  }
  return out;
}

export function loadSettings(env: Env = process.env): Settings {
  const roleRaw = env.ROLE ?? '';
  if (!(ROLES as readonly string[]).includes(roleRaw)) fail('ROLE', roleRaw, `must be one of ${ROLES.join(', ')}`);
  const role = roleRaw as Role;
  const kafkaBrokers = brokers(env, 'KAFKA_BROKERS');
  if (role === 'worker' && kafkaBrokers.length === 0) fail('KAFKA_BROKERS', env.KAFKA_BROKERS ?? '', 'must name at least one broker (host:port) for the worker');
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
    kafkaBrokers,
    topic: {
      name: kafkaName(env, 'KAFKA_TOPIC', 'orders'),
      partitions: num(env, 'KAFKA_TOPIC_PARTITIONS', 1, integer(positive)),
      replicationFactor: num(env, 'KAFKA_TOPIC_REPLICATION_FACTOR', 1, integer(positive)),
      configs: topicConfigs(env, 'KAFKA_TOPIC_CONFIGS'),
    },
    consumerGroup: kafkaName(env, 'KAFKA_CONSUMER_GROUP', `demo-${role}`),
    shutdownDelayMs: num(env, 'SHUTDOWN_DELAY_MS', 0, nonNegative),
    shutdownTimeoutMs: num(env, 'SHUTDOWN_TIMEOUT_MS', 10000, positive),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
