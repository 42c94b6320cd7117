/**
 * Validation of a resolved StackConfig. Runs before any object is built or any file is written; every
 * problem names the config path, the value received and how to fix it.
 */
import type { AlertmanagerSpec, ImageSpec, ObjectStorageSpec, PortsConfig, RemoteWriteSpec, ResourceSpec, StackConfig, StorageSpec } from './types';
import { urlHostPort } from '../lib/external';
import { parseStoreUrl } from '../lib/object-storage';
import { parseDuration, parseGoDuration, parsePromSize, parseQuantity } from './units';
// --- alerting and OTLP gateway (#19) ---
import { validateAlertmanager } from '../components/alertmanager/validate';
import { validateOtlpGateway } from '../components/otlp-gateway/validate';

export interface ConfigIssue {
  /** Dotted config path, e.g. `prometheus.retention`. */
  readonly path: string;
  readonly value: unknown;
  /** What is wrong, phrased to follow the value: `is not a duration`. */
  readonly message: string;
  /** How to fix it: `use e.g. "15d"`. */
  readonly fix: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.path}: ${JSON.stringify(issue.value) ?? 'undefined'} ${issue.message}; ${issue.fix}`;
}

/** Thrown when a configuration is invalid; its message lists every issue, one per line. */
export class StackConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`environment "${environment}" has ${issues.length} configuration error(s):\n` +
      issues.map((i) => `  - ${formatIssue(i)}`).join('\n'));
    this.name = 'StackConfigError';
  }

  static combine(errors: readonly StackConfigError[]): Error {
    if (errors.length === 1) return errors[0];
    const e = new Error(errors.map((x) => x.message).join('\n'));
    e.name = 'StackConfigError';
    return e;
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PROM_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_LABEL_PREFIX = 'app.kubernetes.io/';

/** Checks collected for one config; each `check*` pushes an issue and returns whether the value was good. */
export class Checker {
  readonly issues: ConfigIssue[] = [];

  fail(path: string, value: unknown, message: string, fix: string): false {
    this.issues.push({ path, value, message, fix });
    return false;
  }

  dnsLabel(path: string, value: unknown, example: string): boolean {
    if (typeof value !== 'string' || value === '') {
      return this.fail(path, value, 'must not be empty', `use a DNS label such as "${example}"`);
    }
    if (value.length > 63 || !DNS_LABEL.test(value)) {
      return this.fail(path, value, 'is not a valid DNS label (lower-case letters, digits and "-", at most 63)', `use e.g. "${example}"`);
    }
    return true;
  }

  duration(path: string, value: unknown, example: string): number | undefined {
    const ms = parseDuration(value);
    if (ms === undefined) this.fail(path, value, 'is not a duration', `use e.g. "${example}" (units ms, s, m, h, d, w, y)`);
    return ms;
  }

  goDuration(path: string, value: unknown, example: string): number | undefined {
    const ms = parseGoDuration(value);
    if (ms === undefined || ms <= 0) {
      this.fail(path, value, 'is not a Go duration', `use hours, minutes or seconds, e.g. "${example}" (no "d" or "w" unit)`);
      return undefined;
    }
    return ms;
  }

  quantity(path: string, value: unknown, example: string): number | undefined {
    const q = parseQuantity(value);
    if (q === undefined) this.fail(path, value, 'is not a Kubernetes quantity', `use e.g. "${example}"`);
    else if (q <= 0) {
      this.fail(path, value, 'must be greater than zero', `use e.g. "${example}"`);
      return undefined;
    }
    return q;
  }

  ratio(path: string, value: unknown, example: number): boolean {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      return this.fail(path, value, 'is not a ratio between 0 and 1', `use e.g. ${example}`);
    }
    return true;
  }

  positive(path: string, value: unknown, example: number, integer = false): boolean {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      return this.fail(path, value, `must be a positive ${integer ? 'integer' : 'number'}`, `use e.g. ${example}`);
    }
    return true;
  }

  nonNegative(path: string, value: unknown, example: number): boolean {
    if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
      return this.fail(path, value, 'must be zero or a positive number', `use e.g. ${example}`);
    }
    return true;
  }

  boolean(path: string, value: unknown): boolean {
    if (typeof value !== 'boolean') return this.fail(path, value, 'must be true or false', 'write true or false without quotes');
    return true;
  }

  resources(path: string, r: ResourceSpec): void {
    const rc = this.quantity(`${path}.requests.cpu`, r?.requests?.cpu, '100m');
    const rm = this.quantity(`${path}.requests.memory`, r?.requests?.memory, '256Mi');
    const lc = this.quantity(`${path}.limits.cpu`, r?.limits?.cpu, '500m');
    const lm = this.quantity(`${path}.limits.memory`, r?.limits?.memory, '512Mi');
    if (rc !== undefined && lc !== undefined && rc > lc) {
      this.fail(`${path}.requests.cpu`, r.requests.cpu, `is more than limits.cpu "${r.limits.cpu}"`, 'lower the request or raise the limit');
    }
    if (rm !== undefined && lm !== undefined && rm > lm) {
      this.fail(`${path}.requests.memory`, r.requests.memory, `is more than limits.memory "${r.limits.memory}"`, 'lower the request or raise the limit');
    }
  }

  storage(path: string, s: StorageSpec): number | undefined {
    this.boolean(`${path}.persistent`, s.persistent);
    if (s.storageClassName !== undefined) this.dnsSubdomain(`${path}.storageClassName`, s.storageClassName, 'standard');
    return this.quantity(`${path}.size`, s.size, '10Gi');
  }

  dnsSubdomain(path: string, value: unknown, example: string): boolean {
    if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
      return this.fail(path, value, 'is not a valid DNS name', `use lower-case letters, digits, "-" and ".", e.g. "${example}"`);
    }
    return true;
  }

  image(path: string, img: ImageSpec): void {
    if (typeof img?.repository !== 'string' || !/^[a-z0-9]([a-z0-9._\-/:]*[a-z0-9])?$/.test(img.repository) || img.repository.includes('@')) {
      this.fail(`${path}.repository`, img?.repository, 'is not an image repository', 'use e.g. "docker.io/grafana/loki"');
    }
    if (typeof img?.tag !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(img.tag)) {
      this.fail(`${path}.tag`, img?.tag, 'is not an image tag', 'use an exact version such as "3.7.6"');
    } else if (img.tag === 'latest') {
      this.fail(`${path}.tag`, img.tag, 'is not pinned', 'use an exact version so every apply runs the same image');
    }
  }

  /** `owned`: keys under app.kubernetes.io/ are refused (obs-stack sets them); selectors of other pods may use them. */
  labels(path: string, labels: Readonly<Record<string, string>>, owned = true): void {
    for (const [key, value] of Object.entries(labels ?? {})) {
      const [prefix, name] = key.includes('/') ? key.split('/', 2) : [undefined, key];
      if (!LABEL_NAME.test(name ?? '') || (name ?? '').length > 63 || (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix))) {
        this.fail(`${path}.${key}`, key, 'is not a valid label name', 'use e.g. "team" or "example.com/team"');
      } else if (owned && key.startsWith(RESERVED_LABEL_PREFIX)) {
        this.fail(`${path}.${key}`, key, 'is set by obs-stack itself', 'choose a label outside app.kubernetes.io/');
      }
      if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
        this.fail(`${path}.${key}`, value, 'is not a valid label value', 'use at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric');
      }
    }
  }

  promLabels(path: string, labels: Readonly<Record<string, string>>, reserved: readonly string[]): void {
    for (const [key, value] of Object.entries(labels ?? {})) {
      if (!PROM_LABEL_NAME.test(key) || key.startsWith('__')) {
        this.fail(`${path}.${key}`, key, 'is not a valid Prometheus label name', 'use letters, digits and "_", e.g. "region"');
      } else if (reserved.includes(key)) {
        this.fail(`${path}.${key}`, key, 'is set by obs-stack itself', `remove it; obs-stack sets ${reserved.join(', ')}`);
      }
      if (typeof value !== 'string' || value === '') this.fail(`${path}.${key}`, value, 'must be a non-empty string', 'use e.g. "eu-west-1"');
    }
  }

  secretKey(path: string, value: unknown, example: string): boolean {
    if (typeof value !== 'string' || value === '') return this.fail(path, value, 'must not be empty', `use e.g. "${example}"`);
    if (!/^[-._a-zA-Z0-9]{1,253}$/.test(value)) return this.fail(path, value, 'is not a valid Secret key', `use letters, digits, "-", "_" and ".", e.g. "${example}"`);
    return true;
  }

  httpUrl(path: string, value: unknown, example: string): boolean {
    if (typeof value !== 'string' || !/^https?:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?(\/\S*)?$/.test(value)) {
      return this.fail(path, value, 'is not an http(s) URL', `use e.g. "${example}"`);
    }
    return true;
  }

  headers(path: string, headers: Readonly<Record<string, string>> | undefined): void {
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) this.fail(`${path}.${name}`, name, 'is not an HTTP header name', 'use e.g. "X-Scope-OrgID"');
      else if (/^(authorization|proxy-authorization|cookie)$/i.test(name)) {
        this.fail(`${path}.${name}`, name, 'carries credentials, which must not be written into the output', 'use basicAuth or bearerToken with a Secret instead');
      }
      if (typeof value !== 'string' || value === '') this.fail(`${path}.${name}`, value, 'must be a non-empty string', 'use e.g. "tenant-1"');
    }
  }

  objectStorage(path: string, o: ObjectStorageSpec): void {
    if (!['filesystem', 's3', 'gcs', 'azure'].includes(o.type)) {
      this.fail(`${path}.type`, o.type, 'is not an object-storage type', 'use "filesystem", "s3", "gcs" or "azure"');
      return;
    }
    if (o.type === 'filesystem') return;
    if (typeof o.bucket !== 'string' || o.bucket === '') {
      this.fail(`${path}.bucket`, o.bucket, `must not be empty with ${path}.type "${o.type}"`, `set the ${o.type === 'azure' ? 'blob container' : 'bucket'} name, e.g. "obs-stack-logs"`);
    } else if (o.bucket.length < 3 || o.bucket.length > 63 || !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(o.bucket) || (o.type === 'azure' && o.bucket.includes('.'))) {
      this.fail(`${path}.bucket`, o.bucket, 'is not a valid bucket or container name', 'use 3 to 63 lower-case letters, digits and "-" (and "." outside Azure)');
    }
    if (o.endpoint !== '' && parseStoreUrl(o.endpoint) === undefined) {
      this.fail(`${path}.endpoint`, o.endpoint, 'is not a store URL (scheme and host, optional port, no path)', 'use e.g. "https://s3.eu-west-1.amazonaws.com" or "http://minio.minio.svc:9000"');
    }
    if (o.type === 's3') {
      if (o.endpoint === '') this.fail(`${path}.endpoint`, o.endpoint, 'must not be empty for S3', 'use e.g. "https://s3.eu-west-1.amazonaws.com" (AWS) or your S3-compatible store\'s URL');
      if (typeof o.region !== 'string' || !/^[a-z0-9-]+$/.test(o.region)) this.fail(`${path}.region`, o.region, 'is not an S3 region', 'use e.g. "eu-west-1" (any value, e.g. "us-east-1", for MinIO)');
    }
    this.boolean(`${path}.forcePathStyle`, o.forcePathStyle);
    if (o.type === 'azure' && (typeof o.accountName !== 'string' || !/^[a-z0-9]{3,24}$/.test(o.accountName))) {
      this.fail(`${path}.accountName`, o.accountName, 'is not an Azure storage account name', 'use 3 to 24 lower-case letters and digits, e.g. "obsstack"');
    }
    const cr = o.credentials;
    if (cr.source === 'secret') {
      if (cr.secretName === '') {
        this.fail(`${path}.credentials.secretName`, cr.secretName, 'is empty, and credentials.source is "secret"', 'create a Secret with the store\'s keys (see README) and set its name, or use source "workloadIdentity"');
      } else this.dnsSubdomain(`${path}.credentials.secretName`, cr.secretName, 'loki-object-storage');
      const k = cr.keys;
      if (o.type === 's3') {
        this.secretKey(`${path}.credentials.keys.accessKeyId`, k.accessKeyId, 'access-key-id');
        this.secretKey(`${path}.credentials.keys.secretAccessKey`, k.secretAccessKey, 'secret-access-key');
      } else if (o.type === 'azure') this.secretKey(`${path}.credentials.keys.accountKey`, k.accountKey, 'account-key');
      else this.secretKey(`${path}.credentials.keys.serviceAccountJson`, k.serviceAccountJson, 'service-account.json');
    } else if (cr.source === 'workloadIdentity') {
      if (Object.keys(cr.serviceAccountAnnotations ?? {}).length === 0) {
        this.fail(`${path}.credentials.serviceAccountAnnotations`, cr.serviceAccountAnnotations, 'is empty, and credentials.source is "workloadIdentity"',
          'set the annotation your platform reads, e.g. { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/loki" }');
      }
      this.labels(`${path}.credentials.serviceAccountAnnotations`, Object.fromEntries(Object.keys(cr.serviceAccountAnnotations ?? {}).map((k) => [k, 'x'])), false);
    } else {
      this.fail(`${path}.credentials.source`, cr.source, 'is not a credential source', 'use "secret" or "workloadIdentity"');
    }
  }

  /** basicAuth or bearerToken read from a user's Secret (remote write, Alertmanagers). */
  credentials(path: string, t: Pick<RemoteWriteSpec, 'basicAuth' | 'bearerToken'>, exampleSecret: string, usernameFix: string): void {
    if (t.basicAuth !== undefined && t.bearerToken !== undefined) {
      this.fail(`${path}.bearerToken`, t.bearerToken, 'is set together with basicAuth', 'use one of basicAuth or bearerToken');
    }
    if (t.basicAuth !== undefined) {
      if (typeof t.basicAuth.username !== 'string' || t.basicAuth.username === '') this.fail(`${path}.basicAuth.username`, t.basicAuth.username, 'must not be empty', usernameFix);
      this.dnsSubdomain(`${path}.basicAuth.secretName`, t.basicAuth.secretName, exampleSecret);
      this.secretKey(`${path}.basicAuth.passwordKey`, t.basicAuth.passwordKey, 'password');
    }
    if (t.bearerToken !== undefined) {
      this.dnsSubdomain(`${path}.bearerToken.secretName`, t.bearerToken.secretName, exampleSecret);
      this.secretKey(`${path}.bearerToken.tokenKey`, t.bearerToken.tokenKey, 'token');
    }
  }

  /** One `alerts.alertmanagers[]` entry; `seen` holds the `url + pathPrefix` of the entries before it. */
  alertmanager(path: string, am: AlertmanagerSpec, seen: Set<string>): void {
    const example = 'https://alertmanager.example.com';
    if (this.httpUrl(`${path}.url`, am.url, example)) {
      // Prometheus takes the path from path_prefix only; a path in the URL would be silently dropped.
      const hp = urlHostPort(am.url);
      if (hp === undefined || !/^https?:\/\/[^/?#]+\/?$/.test(am.url)) {
        this.fail(`${path}.url`, am.url, 'has a path or query', `use scheme, host and port only, e.g. "${example}", and put the path in pathPrefix`);
      } else {
        const key = `${am.url.split(':')[0]}://${hp.host}:${hp.port}${am.pathPrefix ?? ''}`.replace(/\/+$/, '');
        if (seen.has(key)) this.fail(`${path}.url`, am.url, 'is listed twice (same URL and pathPrefix)', 'list each Alertmanager once');
        else seen.add(key);
      }
    }
    if (am.pathPrefix !== undefined && (typeof am.pathPrefix !== 'string' || !/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(am.pathPrefix))) {
      this.fail(`${path}.pathPrefix`, am.pathPrefix, 'is not a URL path', 'use a path starting with "/", e.g. "/alertmanager"');
    }
    this.credentials(path, am, 'alertmanager-auth', 'use the user name the Alertmanager (or its proxy) expects');
  }

  remoteWrite(path: string, rw: RemoteWriteSpec, seen: Set<string>): void {
    if (typeof rw.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(rw.name) || rw.name.length > 40) {
      this.fail(`${path}.name`, rw.name, 'is not a remote-write name', 'use lower-case letters, digits and "-", e.g. "mimir"');
    } else if (seen.has(rw.name)) this.fail(`${path}.name`, rw.name, 'is used by another remote-write target', 'give each target its own name');
    else seen.add(rw.name);
    this.httpUrl(`${path}.url`, rw.url, 'https://mimir.example.com/api/v1/push');
    this.headers(`${path}.headers`, rw.headers);
    this.credentials(path, rw, 'metrics-remote-write', 'use the user name (tenant) of the store');
    const q = rw.queue ?? {};
    if (q.capacity !== undefined) this.positive(`${path}.queue.capacity`, q.capacity, 25000, true);
    if (q.maxShards !== undefined) this.positive(`${path}.queue.maxShards`, q.maxShards, 30, true);
    if (q.maxSamplesPerSend !== undefined && this.positive(`${path}.queue.maxSamplesPerSend`, q.maxSamplesPerSend, 5000, true)
      && q.capacity !== undefined && q.capacity < q.maxSamplesPerSend) {
      this.fail(`${path}.queue.capacity`, q.capacity, `is below queue.maxSamplesPerSend (${q.maxSamplesPerSend})`, 'use a capacity of a few times the batch size, e.g. 5x');
    }
    (rw.writeRelabelConfigs ?? []).forEach((r, i) => {
      if (r.action !== undefined && !['keep', 'drop', 'replace', 'labeldrop', 'labelkeep'].includes(r.action)) {
        this.fail(`${path}.writeRelabelConfigs[${i}].action`, r.action, 'is not a relabel action', 'use keep, drop, replace, labeldrop or labelkeep');
      }
      if (r.regex !== undefined) {
        try { new RegExp(`^(?:${r.regex})$`); } catch { this.fail(`${path}.writeRelabelConfigs[${i}].regex`, r.regex, 'is not a regular expression', 'use RE2 syntax, e.g. "up|traces_.*"'); }
      }
    });
  }

  replicas(path: string, value: unknown, example: number): boolean {
    return this.positive(path, value, example, true);
  }

  ports(ports: PortsConfig): void {
    for (const [component, group] of Object.entries(ports)) {
      const seen = new Map<number, string>();
      for (const [name, port] of Object.entries(group as Record<string, unknown>)) {
        const path = `ports.${component}.${name}`;
        if (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 65535) {
          this.fail(path, port, 'is not an unprivileged port', 'use an integer from 1024 to 65535 (the stack runs as non-root)');
          continue;
        }
        const clash = seen.get(port);
        if (clash !== undefined) {
          this.fail(path, port, `clashes with ports.${component}.${clash} (both listen in the same pod)`, 'give each port of a component its own number');
        }
        seen.set(port, name);
      }
    }
  }
}

/** Validates an environment's name (its folder under dist/). */
export function validateEnvironmentName(name: unknown, issues: ConfigIssue[]): void {
  const c = new Checker();
  if (c.dnsLabel('environments[].name', name, 'staging') && name === 'argocd') {
    c.fail('environments[].name', name, 'is reserved for the ArgoCD Applications folder', 'choose another name');
  }
  issues.push(...c.issues);
}

/** Every problem in a resolved config; empty when it is valid. */
export function validateConfig(cfg: StackConfig): ConfigIssue[] {
  const c = new Checker();
  const { common } = cfg;

  // common
  c.dnsLabel('common.namespace', common.namespace, 'observability');
  c.dnsLabel('common.agentNamespace', common.agentNamespace, 'observability-agents');
  if (common.namespace !== '' && common.namespace === common.agentNamespace) {
    c.fail('common.agentNamespace', common.agentNamespace, 'equals common.namespace', 'use a separate namespace for the host agents (they need the privileged Pod Security level)');
  }
  if (typeof common.clusterName !== 'string' || common.clusterName === '' || !LABEL_VALUE.test(common.clusterName) || common.clusterName.length > 63) {
    c.fail('common.clusterName', common.clusterName, 'is not a valid cluster name', 'use letters, digits, "-", "_" or "." (at most 63), e.g. "prod-eu"');
  }
  c.labels('common.labels', common.labels);
  if (common.storageClassName !== undefined) c.dnsSubdomain('common.storageClassName', common.storageClassName, 'standard');
  if (common.priorityClassName !== undefined) c.dnsSubdomain('common.priorityClassName', common.priorityClassName, 'observability-critical');
  const pc = common.priorityClass;
  if (c.boolean('common.priorityClass.create', pc.create) && pc.create) {
    if (common.priorityClassName === undefined) {
      c.fail('common.priorityClass.create', pc.create, 'needs common.priorityClassName (the name of the class to create)', 'set common.priorityClassName, e.g. "observability-critical"');
    } else if (common.priorityClassName.startsWith('system-')) {
      c.fail('common.priorityClassName', common.priorityClassName, 'uses the "system-" prefix Kubernetes reserves', 'choose another name, e.g. "observability-critical"');
    }
  }
  if (typeof pc.value !== 'number' || !Number.isInteger(pc.value) || pc.value < 0 || pc.value > 1_000_000_000) {
    c.fail('common.priorityClass.value', pc.value, 'is not an integer from 0 to 1000000000 (higher values are reserved for system classes)', 'use e.g. 1000000');
  }
  if (pc.preemptionPolicy !== 'Never' && pc.preemptionPolicy !== 'PreemptLowerPriority') {
    c.fail('common.priorityClass.preemptionPolicy', pc.preemptionPolicy, 'is not a preemption policy', 'use "Never" or "PreemptLowerPriority"');
  }
  if (common.imageRegistry !== undefined && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/.test(common.imageRegistry)) {
    c.fail('common.imageRegistry', common.imageRegistry, 'is not a registry host (and optional path)', 'use e.g. "registry.example.com/mirror" without a scheme or trailing "/"');
  }
  if (!Array.isArray(common.imagePullSecrets)) c.fail('common.imagePullSecrets', common.imagePullSecrets, 'must be a list', 'use e.g. ["regcred"]');
  else common.imagePullSecrets.forEach((s, i) => c.dnsSubdomain(`common.imagePullSecrets[${i}]`, s, 'regcred'));

  for (const [name, img] of Object.entries(cfg.images)) c.image(`images.${name}`, img);
  c.ports(cfg.ports);

  // prometheus
  const p = cfg.prometheus;
  c.resources('prometheus.resources', p.resources);
  const promVolume = c.storage('prometheus.storage', p.storage);
  c.duration('prometheus.retention', p.retention, '15d');
  if (p.retentionSize !== undefined) {
    const size = parsePromSize(p.retentionSize);
    if (size === undefined) {
      c.fail('prometheus.retentionSize', p.retentionSize, 'is not a Prometheus size', 'use e.g. "8GB" (units B, KB, MB, GB, TB; powers of 1024)');
    } else if (promVolume !== undefined && size >= promVolume) {
      c.fail('prometheus.retentionSize', p.retentionSize, `is not below the volume size prometheus.storage.size "${p.storage.size}"`,
        'lower retentionSize (about 80% of the volume leaves room for the WAL and compaction) or grow the volume');
    }
  }
  const scrape = c.duration('prometheus.scrapeInterval', p.scrapeInterval, '30s');
  const timeout = c.duration('prometheus.scrapeTimeout', p.scrapeTimeout, '10s');
  if (scrape !== undefined && timeout !== undefined && timeout > scrape) {
    c.fail('prometheus.scrapeTimeout', p.scrapeTimeout, `is longer than prometheus.scrapeInterval "${p.scrapeInterval}"`, 'use a timeout no longer than the interval');
  }
  c.duration('prometheus.evaluationInterval', p.evaluationInterval, '30s');
  c.promLabels('prometheus.externalLabels', p.externalLabels, ['cluster']);
  c.boolean('prometheus.scrapeAnnotatedPods', p.scrapeAnnotatedPods);
  if (!Array.isArray(p.remoteWrite)) c.fail('prometheus.remoteWrite', p.remoteWrite, 'must be a list', 'use e.g. [{ name: "mimir", url: "https://mimir.example.com/api/v1/push" }]');
  else {
    const seen = new Set<string>();
    p.remoteWrite.forEach((rw, i) => c.remoteWrite(`prometheus.remoteWrite[${i}]`, rw, seen));
  }

  // cadvisor
  c.boolean('cadvisor.enabled', cfg.cadvisor.enabled);
  c.resources('cadvisor.resources', cfg.cadvisor.resources);
  c.duration('cadvisor.housekeepingInterval', cfg.cadvisor.housekeepingInterval, '10s');
  c.boolean('cadvisor.privileged', cfg.cadvisor.privileged);
  if (typeof cfg.cadvisor.containerdSocket !== 'string' || !/^\/(run|var\/run)\/\S+\.sock$/.test(cfg.cadvisor.containerdSocket)) {
    c.fail('cadvisor.containerdSocket', cfg.cadvisor.containerdSocket, 'is not a socket path under /run or /var/run', 'use e.g. "/run/containerd/containerd.sock" (k3s: "/run/k3s/containerd/containerd.sock")');
  }

  // loki
  const l = cfg.loki;
  c.boolean('loki.enabled', l.enabled);
  c.resources('loki.resources', l.resources);
  c.storage('loki.storage', l.storage);
  c.objectStorage('loki.objectStorage', l.objectStorage);
  if (l.mode !== 'monolithic' && l.mode !== 'simple-scalable') {
    c.fail('loki.mode', l.mode, 'is not a Loki deployment mode', 'use "monolithic" (one replica) or "simple-scalable" (read / write / backend)');
  } else if (l.mode === 'simple-scalable') {
    if (l.objectStorage.type === 'filesystem') {
      c.fail('loki.objectStorage.type', l.objectStorage.type, 'cannot be shared by several Loki replicas (loki.mode is "simple-scalable")',
        'use "s3", "gcs" or "azure" with a bucket, or loki.mode "monolithic"');
    }
    for (const t of ['write', 'read', 'backend'] as const) {
      c.replicas(`loki.${t}.replicas`, l[t].replicas, t === 'write' ? 3 : 2);
      c.resources(`loki.${t}.resources`, l[t].resources);
    }
    if (c.replicas('loki.replicationFactor', l.replicationFactor, 3) && l.replicationFactor > l.write.replicas) {
      c.fail('loki.replicationFactor', l.replicationFactor, `is more than loki.write.replicas (${l.write.replicas})`, 'use at most one copy per write replica, e.g. 3 with 3 writers');
    }
  }
  const lokiRetention = c.duration('loki.retention', l.retention, '168h');
  if (lokiRetention !== undefined && lokiRetention % (24 * 3600 * 1000) !== 0) {
    c.fail('loki.retention', l.retention, 'is not a whole number of days (Loki\'s index period is 24h)', 'use a multiple of 24h, e.g. "168h"');
  }
  if (typeof l.tenant !== 'string' || (l.tenant !== '' && !/^[A-Za-z0-9!\-_.*'()]{1,150}$/.test(l.tenant))) {
    c.fail('loki.tenant', l.tenant, 'is not a valid Loki tenant ID', 'use letters, digits and -_.!*\'() (at most 150), or "" for a single-tenant Loki');
  }
  c.positive('loki.limits.ingestionRateMB', l.limits.ingestionRateMB, 8);
  c.positive('loki.limits.ingestionBurstSizeMB', l.limits.ingestionBurstSizeMB, 16);
  if (l.limits.ingestionBurstSizeMB < l.limits.ingestionRateMB) {
    c.fail('loki.limits.ingestionBurstSizeMB', l.limits.ingestionBurstSizeMB, `is below loki.limits.ingestionRateMB (${l.limits.ingestionRateMB})`, 'use a burst at least as large as the rate');
  }
  c.positive('loki.limits.maxQuerySeries', l.limits.maxQuerySeries, 5000, true);
  c.duration('loki.limits.maxQueryLength', l.limits.maxQueryLength, '721h');

  // log agent
  if (cfg.logAgent !== 'promtail' && cfg.logAgent !== 'alloy') {
    c.fail('logAgent', cfg.logAgent, 'is not a known log agent', 'use "alloy" (maintained) or "promtail" (end of life since 2026-03-02)');
  }
  c.resources('promtail.resources', cfg.promtail.resources);
  c.resources('alloy.resources', cfg.alloy.resources);

  // tempo
  const t = cfg.tempo;
  c.boolean('tempo.enabled', t.enabled);
  c.resources('tempo.resources', t.resources);
  c.storage('tempo.storage', t.storage);
  c.objectStorage('tempo.objectStorage', t.objectStorage);
  if (c.replicas('tempo.replicas', t.replicas, 1) && t.replicas > 1 && t.objectStorage.type === 'filesystem') {
    c.fail('tempo.replicas', t.replicas, 'needs object storage (tempo.objectStorage.type is "filesystem": each replica would keep its own blocks)',
      'set tempo.objectStorage to "s3", "gcs" or "azure", or use 1 replica');
  }
  if (c.replicas('tempo.replicationFactor', t.replicationFactor, 1) && typeof t.replicas === 'number' && t.replicationFactor > t.replicas) {
    c.fail('tempo.replicationFactor', t.replicationFactor, `is more than tempo.replicas (${t.replicas})`, 'use at most one copy per replica');
  }
  c.goDuration('tempo.retention', t.retention, '336h');
  for (const [name, on] of Object.entries(t.receivers)) c.boolean(`tempo.receivers.${name}`, on);
  if (t.enabled && !Object.values(t.receivers).some(Boolean)) {
    c.fail('tempo.receivers', t.receivers, 'enables no receiver', 'enable at least otlpGrpc or otlpHttp, or set tempo.enabled: false');
  }
  c.boolean('tempo.metricsGenerator', t.metricsGenerator);

  // grafana
  const g = cfg.grafana;
  c.boolean('grafana.enabled', g.enabled);
  c.resources('grafana.resources', g.resources);
  c.storage('grafana.storage', g.storage);
  if (g.enabled && g.adminSecret.name === '' && !g.allowDefaultAdmin) {
    c.fail('grafana.adminSecret.name', g.adminSecret.name, 'is empty, and this profile does not allow Grafana\'s default admin password',
      'create a Secret (see README: kubectl create secret generic grafana-admin ...) and set its name here');
  }
  if (g.adminSecret.name !== '') {
    c.dnsSubdomain('grafana.adminSecret.name', g.adminSecret.name, 'grafana-admin');
    const secretKey = /^[-._a-zA-Z0-9]{1,253}$/;
    if (g.adminSecret.userKey === '') c.fail('grafana.adminSecret.userKey', g.adminSecret.userKey, 'must not be empty', 'use e.g. "admin-user"');
    else if (!secretKey.test(g.adminSecret.userKey)) c.fail('grafana.adminSecret.userKey', g.adminSecret.userKey, 'is not a valid Secret key', 'use letters, digits, "-", "_" and ".", e.g. "admin-user"');
    if (g.adminSecret.passwordKey === '') c.fail('grafana.adminSecret.passwordKey', g.adminSecret.passwordKey, 'must not be empty', 'use e.g. "admin-password"');
    else if (!secretKey.test(g.adminSecret.passwordKey)) c.fail('grafana.adminSecret.passwordKey', g.adminSecret.passwordKey, 'is not a valid Secret key', 'use letters, digits, "-", "_" and ".", e.g. "admin-password"');
    if (g.adminSecret.userKey !== '' && g.adminSecret.userKey === g.adminSecret.passwordKey) {
      c.fail('grafana.adminSecret.passwordKey', g.adminSecret.passwordKey, 'equals grafana.adminSecret.userKey', 'use two keys, e.g. "admin-user" and "admin-password"');
    }
  }
  const md = g.metricsDatasource;
  if (md.url !== '') c.httpUrl('grafana.metricsDatasource.url', md.url, 'https://mimir.example.com/prometheus');
  if (!['Prometheus', 'Mimir', 'Thanos', 'Cortex'].includes(md.type)) {
    c.fail('grafana.metricsDatasource.type', md.type, 'is not a Prometheus-compatible store type', 'use "Prometheus", "Mimir", "Thanos" or "Cortex"');
  }
  c.headers('grafana.metricsDatasource.headers', md.headers);
  if (g.ingress.enabled) {
    if (g.ingress.host === '') c.fail('grafana.ingress.host', g.ingress.host, 'is empty but grafana.ingress.enabled is true', 'set the public host name, e.g. "grafana.example.com"');
    else c.dnsSubdomain('grafana.ingress.host', g.ingress.host, 'grafana.example.com');
    if (g.ingress.className !== undefined) c.dnsSubdomain('grafana.ingress.className', g.ingress.className, 'nginx');
    if (g.ingress.tlsSecretName !== undefined) c.dnsSubdomain('grafana.ingress.tlsSecretName', g.ingress.tlsSecretName, 'grafana-tls');
  }

  // alerts
  const a = cfg.alerts.thresholds;
  c.boolean('alerts.enabled', cfg.alerts.enabled);
  c.ratio('alerts.thresholds.errorRatio', a.errorRatio, 0.05);
  c.positive('alerts.thresholds.latencyP99Seconds', a.latencyP99Seconds, 1);
  c.duration('alerts.thresholds.for', a.for, '5m');
  c.ratio('alerts.thresholds.tsdbSizeRatio', a.tsdbSizeRatio, 0.9);
  c.nonNegative('alerts.thresholds.minRequestRate', a.minRequestRate, 0.1);
  c.duration('alerts.thresholds.downFor', a.downFor, '2m');
  const ams = cfg.alerts.alertmanagers;
  if (!Array.isArray(ams)) c.fail('alerts.alertmanagers', ams, 'must be a list', 'use e.g. [{ url: "https://alertmanager.example.com" }], or [] for none');
  else {
    const seen = new Set<string>();
    ams.forEach((am, i) => c.alertmanager(`alerts.alertmanagers[${i}]`, am, seen));
    if (ams.length > 0 && cfg.alerts.enabled === false) {
      c.fail('alerts.alertmanagers', ams.map((am) => am?.url), 'has no alerts to receive: alerts.enabled is false', 'set alerts.enabled: true, or alertmanagers: []');
    }
  }

  // demo
  const d = cfg.demo;
  c.boolean('demo.enabled', d.enabled);
  c.resources('demo.resources', d.resources);
  c.ratio('demo.errorRatio', d.errorRatio, 0.3);
  c.nonNegative('demo.latencyMs', d.latencyMs, 0);
  c.nonNegative('demo.jitterMs', d.jitterMs, 50);
  c.nonNegative('demo.slowStepMs', d.slowStepMs, 100);
  c.positive('demo.trafficRps', d.trafficRps, 2);
  // (#19)
  if (d.otlp !== 'traces' && d.otlp !== 'all') c.fail('demo.otlp', d.otlp, 'is not an OTLP mode', 'use "traces" (metrics scraped, logs on stdout) or "all" (everything over OTLP to the gateway)');
  else if (d.enabled && d.otlp === 'all' && !cfg.otlpGateway.enabled) c.fail('demo.otlp', d.otlp, 'needs the OTLP gateway (otlpGateway.enabled is false)', 'set otlpGateway.enabled: true, or demo.otlp: "traces"');
  if (d.enabled && !t.enabled) {
    c.fail('demo.enabled', d.enabled, 'needs tempo.enabled (the example services export their traces to Tempo)', 'enable tempo or disable demo');
  }

  c.boolean('helm.enabled', cfg.helm.enabled);

  // argocd
  const ar = cfg.argocd;
  if (typeof ar.repoURL !== 'string' || !/^(https?:\/\/|ssh:\/\/|git@)\S+$/.test(ar.repoURL)) {
    c.fail('argocd.repoURL', ar.repoURL, 'is not a Git repository URL', 'use e.g. "https://git.example.com/platform/obs-stack.git"');
  }
  if (typeof ar.targetRevision !== 'string' || ar.targetRevision === '') c.fail('argocd.targetRevision', ar.targetRevision, 'must not be empty', 'use a branch, tag or commit, e.g. "main"');
  if (typeof ar.destinationServer !== 'string' || !/^https:\/\/\S+$/.test(ar.destinationServer)) {
    c.fail('argocd.destinationServer', ar.destinationServer, 'is not an API server URL', 'use e.g. "https://kubernetes.default.svc"');
  }
  c.dnsLabel('argocd.namespace', ar.namespace, 'argocd');
  c.boolean('argocd.automated', ar.automated);
  c.boolean('argocd.prune', ar.prune);
  if (ar.prune && !ar.automated) c.fail('argocd.prune', ar.prune, 'has no effect without argocd.automated', 'set argocd.automated: true as well, or prune: false');

  // network policies
  const np = cfg.networkPolicy;
  c.boolean('networkPolicy.enabled', np.enabled);
  c.dnsLabel('networkPolicy.dns.namespace', np.dns.namespace, 'kube-system');
  c.labels('networkPolicy.dns.podSelector', np.dns.podSelector, false);
  if (Object.keys(np.dns.podSelector ?? {}).length === 0) {
    c.fail('networkPolicy.dns.podSelector', np.dns.podSelector, 'is empty, which would open DNS port egress to every pod of the DNS namespace', 'use the DNS pods\' labels, e.g. { "k8s-app": "kube-dns" }');
  }
  if (typeof np.dns.port !== 'number' || !Number.isInteger(np.dns.port) || np.dns.port < 1 || np.dns.port > 65535) {
    c.fail('networkPolicy.dns.port', np.dns.port, 'is not a port', 'use an integer from 1 to 65535, e.g. 53');
  }
  if (!Array.isArray(np.kubeApiServer.cidrs) || np.kubeApiServer.cidrs.length === 0) {
    c.fail('networkPolicy.kubeApiServer.cidrs', np.kubeApiServer.cidrs, 'must list at least one CIDR', 'use the control-plane addresses, e.g. ["172.18.0.0/16"], or ["0.0.0.0/0"]');
  } else {
    np.kubeApiServer.cidrs.forEach((cidr, i) => {
      if (!isCidr(cidr)) c.fail(`networkPolicy.kubeApiServer.cidrs[${i}]`, cidr, 'is not a CIDR', 'use e.g. "10.0.0.0/8" or "172.18.0.2/32"');
    });
  }
  if (!Array.isArray(np.kubeApiServer.ports) || np.kubeApiServer.ports.length === 0) {
    c.fail('networkPolicy.kubeApiServer.ports', np.kubeApiServer.ports, 'must list at least one port', 'use e.g. [443, 6443]');
  } else {
    np.kubeApiServer.ports.forEach((port, i) => {
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
        c.fail(`networkPolicy.kubeApiServer.ports[${i}]`, port, 'is not a port', 'use an integer from 1 to 65535, e.g. 6443');
      }
    });
  }
  if (!Array.isArray(np.externalEgress.cidrs) || np.externalEgress.cidrs.length === 0) {
    c.fail('networkPolicy.externalEgress.cidrs', np.externalEgress.cidrs, 'must list at least one CIDR', 'use your store\'s address ranges, e.g. ["52.218.0.0/17"], or ["0.0.0.0/0"]');
  } else {
    np.externalEgress.cidrs.forEach((cidr, i) => {
      if (!isCidr(cidr)) c.fail(`networkPolicy.externalEgress.cidrs[${i}]`, cidr, 'is not a CIDR', 'use e.g. "10.0.0.0/8" or "0.0.0.0/0"');
    });
  }
  c.dnsLabel('networkPolicy.ingressController.namespace', np.ingressController.namespace, 'ingress-nginx');
  c.labels('networkPolicy.ingressController.podSelector', np.ingressController.podSelector, false);

  validateAlertmanager(cfg, c); validateOtlpGateway(cfg, c); // (#19)

  return c.issues;
}

/** An IPv4 or IPv6 CIDR with its prefix length. */
function isCidr(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = /^([0-9.]+|[0-9a-fA-F:]+)\/(\d{1,3})$/.exec(v);
  if (!m) return false;
  const prefix = Number(m[2]);
  if (m[1].includes('.')) {
    const octets = m[1].split('.');
    return octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255) && prefix <= 32;
  }
  return m[1].includes(':') && prefix <= 128;
}
