/**
 * `prometheus.extraScrapeConfigs`: the user's own scrape jobs next to the stack's. Each is a `scrape_configs`
 * entry with Prometheus's keys in camelCase: fixed targets (`staticConfigs`) or Kubernetes discovery
 * (`kubernetesSdConfigs`, roles `pod`, `service` and `endpointslice`, a label selector, the port to keep).
 * Here: the schema, the rendering to upstream keys, and what the jobs need from the rest of the stack
 * (Secrets mounted for credentials, RBAC for discovery, NetworkPolicy egress, job names that must not clash).
 *
 * NetworkPolicy egress for Prometheus (the default-deny of the stack's namespace would block the scrapes):
 * - a static target outside the cluster: `networkPolicy.externalEgress.cidrs` on the target's port; one in
 *   the cluster (`<service>.<namespace>.svc:<port>`): that namespace on that port (`externalEndpoints`);
 * - role `pod`: the pods the selector names, in the listed namespaces (every namespace when none is listed),
 *   on the kept port (a named port is matched by name);
 * - role `endpointslice`: every pod of those namespaces (the selector names Services, not pods), on the kept
 *   port when it is a number (the endpoint's port is the pod's), else on any port;
 * - role `service`: every pod of those namespaces on any port (the Service port is translated to a pod
 *   port that only the Service knows).
 * The scraped namespaces' own policies, if they deny by default, must admit Prometheus too.
 */
import * as z from 'zod';
import * as k8s from '../../../imports/k8s';
import {
  basicAuthSchema, bearerTokenSchema, dnsLabel, dnsSubdomain, duration, flag, isPromLabelName, list, obj, oneCredential, oneOf,
  positiveInt, printable, problem, promLabelName, re2, report, secretKey, stringMap, text, uniqueBy,
} from '../../config/fields';
import { isEmptySelector, labelSelectorSchema, type LabelSelectorSpec } from '../../config/pods';
import { parseDurationNs } from '../../config/units';
import type { ConfigIssue } from '../../config/errors';
import { K8S_SIGNAL_LABELS, SERVICE_LABEL } from '../../lib/labels';
import type { ApiAccess } from '../../lib/scrape';
import type { KubernetesSdConfig, RelabelAction, RelabelConfig, ScrapeConfig } from './prometheus-config';

// Prometheus's target_label syntax for `replace`: label-name characters and `$1` / `${name}` references.
export const RELABEL_TARGET = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

const RELABEL_ACTIONS = ['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase'] as const;

/** Actions whose `target_label` is required (and, but for `replace`, a plain label name). */
const TARGET_ACTIONS: ReadonlySet<string> = new Set(['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal']);

/**
 * One `relabel_configs` / `metric_relabel_configs` entry, with the rules Prometheus applies per action
 * (relabel.Config.Validate): a target for replace, hashmod, lowercase, uppercase, keepequal and dropequal;
 * a modulus for hashmod; nothing but the regex for labeldrop and labelkeep.
 */
export const scrapeRelabelConfigSchema = obj({
  sourceLabels: list(promLabelName('__meta_kubernetes_pod_label_app'), '["__meta_kubernetes_pod_label_app"]').optional(),
  /** @default ";" */
  separator: printable(';', { empty: true }).optional(),
  /** RE2, anchored at both ends as Prometheus does. @default "(.*)" */
  regex: re2('(.+)').optional(),
  /** Only with hashmod. */
  modulus: positiveInt(4).optional(),
  targetLabel: text(['must be a string', 'use e.g. "team"'], (v) => (RELABEL_TARGET.test(v) ? undefined
    : ['is not a valid target label', 'use letters, digits and "_" (with $1 or ${name} references for replace), e.g. "team"'])).optional(),
  /** @default "$1" */
  replacement: printable('$1', { empty: true }).optional(),
  /** @default "replace" */
  action: oneOf(RELABEL_ACTIONS, 'is not a relabel action', `use one of: ${RELABEL_ACTIONS.join(', ')}`).optional(),
}).superRefine((r, ctx) => {
  const action = r.action ?? 'replace';
  if (TARGET_ACTIONS.has(action)) {
    if (r.targetLabel === undefined) {
      report(ctx, ['targetLabel'], r.targetLabel, `is required by the "${action}" action${r.action === undefined ? ' (the default)' : ''}`, 'set targetLabel, or an action such as "keep" or "drop"');
    } else if (action !== 'replace' && !isPromLabelName(r.targetLabel)) {
      report(ctx, ['targetLabel'], r.targetLabel, `is not a label name (the "${action}" action takes no $ references)`, 'use letters, digits and "_", e.g. "team"');
    }
  }
  if (action === 'hashmod' && r.modulus === undefined) report(ctx, ['modulus'], r.modulus, 'is required by the "hashmod" action', 'set modulus, e.g. 4');
  if (action !== 'hashmod' && r.modulus !== undefined) report(ctx, ['modulus'], r.modulus, `is not used by the "${action}" action`, 'remove modulus');
  const onlyRegex = action === 'labeldrop' || action === 'labelkeep';
  const noRegex = action === 'keepequal' || action === 'dropequal';
  for (const key of ['sourceLabels', 'separator', 'targetLabel', 'replacement'] as const) {
    if (onlyRegex && r[key] !== undefined) report(ctx, [key], r[key], `is not allowed with action "${action}" (it matches label names with regex only)`, `remove ${key}`);
  }
  if (noRegex) {
    for (const key of ['regex', 'separator', 'replacement'] as const) {
      if (r[key] !== undefined) report(ctx, [key], r[key], `is not allowed with action "${action}" (it compares sourceLabels with targetLabel)`, `remove ${key}`);
    }
  }
  if ((noRegex || action === 'lowercase' || action === 'uppercase' || action === 'hashmod') && (r.sourceLabels ?? []).length === 0) {
    report(ctx, ['sourceLabels'], r.sourceLabels, `is required by the "${action}" action`, 'name the labels to read, e.g. ["__meta_kubernetes_pod_label_app"]');
  }
}).readonly();

export type ScrapeRelabelSpec = z.infer<typeof scrapeRelabelConfigSchema>;

const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const HOST_PORT = new RegExp(`^(${HOST_LABEL}(?:\\.${HOST_LABEL})*):(\\d{1,5})$`);

/** A static target: `host:port`, the port written (the NetworkPolicy opens exactly it). */
const staticTarget = text(['is not a "host:port" target', 'use e.g. "payments.example.com:9100"'], (v) => {
  if (v.startsWith('[')) return ['has an IPv6 address as its host, which the NetworkPolicies cannot name', 'use a host name, e.g. "payments.example.com:9100"'];
  if (/^[a-z]+:\/\//i.test(v)) return ['has a scheme', 'write host and port only, e.g. "payments.example.com:9100", and set scheme: "https" on the job'];
  const m = HOST_PORT.exec(v);
  if (m === null) return ['is not a "host:port" target with the port written', 'use e.g. "payments.example.com:9100"'];
  if (!(Number(m[2]) >= 1 && Number(m[2]) <= 65535)) return ['has a port outside 1 to 65535', 'use e.g. "payments.example.com:9100"'];
  return undefined;
});

/** Target labels: label names, not `__`-prefixed except Prometheus's own (`__metrics_path__`, `__scheme__`, `__param_*`). */
const targetLabels = stringMap((key) => {
  if (!isPromLabelName(key)) return ['is not a valid Prometheus label name', 'use letters, digits and "_", e.g. "team"'];
  if (key.startsWith('__') && !['__metrics_path__', '__scheme__', '__scrape_interval__', '__scrape_timeout__'].includes(key) && !key.startsWith('__param_')) {
    return ['is a reserved label name ("__" prefix)', 'use a name without "__", e.g. "team"'];
  }
  return undefined;
}, printable('payments'), '{ team: "payments" }');

const staticConfigSchema = obj({
  targets: list(staticTarget, '["payments.example.com:9100"]').superRefine((t, ctx) => {
    if (t.length === 0) report(ctx, [], t, 'is empty', 'list at least one target, e.g. ["payments.example.com:9100"]');
  }).superRefine(uniqueBy((t) => t, 'is listed twice', 'list each target once')),
  labels: targetLabels.optional(),
}).readonly();

const kubernetesSdSchema = obj({
  /** `role`: each pod's ports (`pod`), each Service port (`service`, scraped through the Service), each endpoint of a Service (`endpointslice`). */
  role: oneOf(['pod', 'service', 'endpointslice'], 'is not a discovery role obs-stack scrapes with', 'use "pod", "service" or "endpointslice"'),
  /** `namespaces.names`. @default - every namespace */
  namespaces: obj({ names: list(dnsLabel('payments'), '["payments"]') }).readonly().optional(),
  /**
   * Labels the discovered objects must carry: the pods' (`pod`) or the Services' (`service`,
   * `endpointslice`), written as `selectors[].label`. @default - every object of the role
   */
  selector: labelSelectorSchema.optional(),
  /**
   * The port to scrape, by name or number: the container port (`pod`) or the Service port (`service`,
   * `endpointslice`). Every other port is dropped by a `keep` rule before your relabelConfigs.
   */
  port: z.union([z.number(), z.string()], { error: problem('is not a port name or number', 'use the port\'s name, e.g. "metrics", or its number, e.g. 9100') })
    .superRefine((v, ctx) => {
      if (typeof v === 'number') {
        if (!Number.isInteger(v) || v < 1 || v > 65535) report(ctx, [], v, 'is not a port', 'use an integer from 1 to 65535, or the port\'s name');
      } else if (!(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v) && v.length <= 15 && /[a-z]/.test(v) && !v.includes('--'))) {
        report(ctx, [], v, 'is not a port name (at most 15 lower-case letters, digits and "-", at least one letter)', 'use e.g. "metrics", or the port number');
      }
    }),
}).readonly();

export type KubernetesSdSpec = z.infer<typeof kubernetesSdSchema>;

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** One extra scrape job. Exactly one of `staticConfigs` and `kubernetesSdConfigs`. */
export const extraScrapeConfigSchema = obj({
  /** `job_name`: the `job` label of every series; unique among these and the stack's own jobs. */
  jobName: text(['is not a job name', 'use letters, digits, "-", "_", "." or ":", e.g. "payments"'],
    (v) => (JOB_NAME.test(v) ? undefined : ['is not a job name', 'use letters, digits, "-", "_", "." or ":" (at most 128), e.g. "payments"'])),
  staticConfigs: list(staticConfigSchema, '[{ targets: ["payments.example.com:9100"] }]').optional(),
  kubernetesSdConfigs: list(kubernetesSdSchema, '[{ role: "pod", namespaces: { names: ["payments"] }, selector: { matchLabels: { app: "payments" } }, port: "metrics" }]').optional(),
  /** @default "/metrics" */
  metricsPath: text(['is not a URL path', 'use a path starting with "/", e.g. "/metrics"'],
    (v) => (/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(v) ? undefined : ['is not a URL path', 'use a path starting with "/", e.g. "/metrics"'])).optional(),
  /** @default "http" */
  scheme: oneOf(['http', 'https'], 'is not a scrape scheme', 'use "http" or "https"').optional(),
  /** @default - prometheus.scrapeInterval */
  scrapeInterval: duration('30s').optional(),
  /** Must not exceed the job's interval. @default - prometheus.scrapeTimeout (at most the interval) */
  scrapeTimeout: duration('10s').optional(),
  /** Keep the target's own labels where they clash with the job's. @default false */
  honorLabels: flag().optional(),
  /** Samples one scrape may return; more fails it (`up` 0). @default - the annotated pods' limit (`sizing.ts`) */
  sampleLimit: positiveInt(10000).optional(),
  /** Basic auth: user name in config, password from a Secret the user creates (mounted as a file). */
  basicAuth: basicAuthSchema('payments-scrape', 'use the user name the target expects').optional(),
  /** Bearer token from a Secret the user creates (mounted as a file). */
  bearerToken: bearerTokenSchema('payments-scrape').optional(),
  /** `tls_config`: the CA from a Secret the user creates, the name to verify, or (for tests) no verification. */
  tlsConfig: obj({
    ca: obj({ secretName: dnsSubdomain('payments-ca'), key: secretKey('ca.crt') }).readonly().optional(),
    serverName: dnsSubdomain('payments.example.com').optional(),
    insecureSkipVerify: flag().optional(),
  }).readonly().optional(),
  /** Rules run on each target before the scrape, after obs-stack's (port filter and Kubernetes labels). */
  relabelConfigs: list(scrapeRelabelConfigSchema, '[{ sourceLabels: ["__meta_kubernetes_pod_label_team"], targetLabel: "team" }]').optional(),
  /** Rules run on every scraped series, e.g. dropping what nothing reads. */
  metricRelabelConfigs: list(scrapeRelabelConfigSchema, '[{ sourceLabels: ["__name__"], regex: "go_.*", action: "drop" }]').optional(),
}).superRefine((j, ctx) => {
  const statics = (j.staticConfigs ?? []).length;
  const sd = (j.kubernetesSdConfigs ?? []).length;
  if (statics === 0 && sd === 0) {
    report(ctx, ['staticConfigs'], j.staticConfigs, 'is missing, and so is kubernetesSdConfigs: the job has no targets', 'add staticConfigs: [{ targets: ["host:9100"] }] or kubernetesSdConfigs: [{ role: "pod", ... }]');
  } else if (statics > 0 && sd > 0) {
    report(ctx, ['kubernetesSdConfigs'], j.kubernetesSdConfigs, 'is set together with staticConfigs', 'use one kind of targets per job (two jobs for both)');
  }
  oneCredential(j, ctx);
  if (j.tlsConfig?.insecureSkipVerify === true && (j.tlsConfig.ca !== undefined || j.tlsConfig.serverName !== undefined)) {
    report(ctx, ['tlsConfig', 'insecureSkipVerify'], true, 'is set together with ca or serverName, which it makes pointless', 'remove insecureSkipVerify, or ca and serverName');
  }
  if (j.tlsConfig !== undefined && j.scheme !== 'https') {
    report(ctx, ['tlsConfig'], j.tlsConfig, 'has no effect without scheme: "https"', 'set scheme: "https", or remove tlsConfig');
  }
}).readonly();

export type ExtraScrapeConfig = z.infer<typeof extraScrapeConfigSchema>;

/** The list of `prometheus.extraScrapeConfigs`: job names unique. */
export const extraScrapeConfigsSchema = list(extraScrapeConfigSchema, '[{ jobName: "payments", staticConfigs: [{ targets: ["payments.example.com:9100"] }] }]')
  .superRefine(uniqueBy((j) => j.jobName, 'is used by another of prometheus.extraScrapeConfigs', 'give each job its own name', 'jobName'));

// ---------------------------------------------------------------------------------------------------
// Rendering

function relabel(r: ScrapeRelabelSpec): RelabelConfig {
  return {
    ...(r.sourceLabels ? { source_labels: [...r.sourceLabels] } : {}),
    ...(r.separator !== undefined ? { separator: r.separator } : {}),
    ...(r.regex !== undefined ? { regex: r.regex } : {}),
    ...(r.modulus !== undefined ? { modulus: r.modulus } : {}),
    ...(r.targetLabel !== undefined ? { target_label: r.targetLabel } : {}),
    ...(r.replacement !== undefined ? { replacement: r.replacement } : {}),
    ...(r.action !== undefined ? { action: r.action as RelabelAction } : {}),
  };
}

/** A label selector as Kubernetes discovery takes it (`selectors[].label`): `k=v`, `k in (a,b)`, `k`, `!k`. */
export function selectorString(s: LabelSelectorSpec): string {
  const parts = Object.keys(s.matchLabels ?? {}).sort().map((k) => `${k}=${s.matchLabels![k]}`);
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** The meta labels holding the port's name and number, per role. */
const PORT_META: Readonly<Record<KubernetesSdSpec['role'], { name: string; number: string }>> = {
  pod: { name: '__meta_kubernetes_pod_container_port_name', number: '__meta_kubernetes_pod_container_port_number' },
  service: { name: '__meta_kubernetes_service_port_name', number: '__meta_kubernetes_service_port_number' },
  endpointslice: { name: '__meta_kubernetes_endpointslice_port_name', number: '__meta_kubernetes_endpointslice_port' },
};

/** Selectors name the role's own objects; endpoint slices are selected by their Service's labels. */
const SELECTOR_ROLE: Readonly<Record<KubernetesSdSpec['role'], string>> = { pod: 'pod', service: 'service', endpointslice: 'service' };

function discovery(sd: KubernetesSdSpec): KubernetesSdConfig {
  return {
    role: sd.role,
    ...(sd.namespaces !== undefined ? { namespaces: { names: [...sd.namespaces.names] } } : {}),
    ...(sd.selector !== undefined && !isEmptySelector(sd.selector) ? { selectors: [{ role: SELECTOR_ROLE[sd.role], label: selectorString(sd.selector) }] } : {}),
  };
}

/**
 * The relabelling obs-stack puts before the user's: keep the chosen port, drop finished pods, and give the
 * series the Kubernetes labels the stack's own jobs carry (`namespace`, `pod`, `container`, `node`,
 * `service`; for role `service`, `namespace` and `service`). Jobs with several discovery blocks of one role
 * share these rules, so one job has one role.
 */
function discoveryRelabel(sds: readonly KubernetesSdSpec[], podLabels: () => RelabelConfig[]): RelabelConfig[] {
  const role = sds[0].role;
  const meta = PORT_META[role];
  const byName = [...new Set(sds.filter((s) => typeof s.port === 'string').map((s) => String(s.port)))].sort();
  const byNumber = [...new Set(sds.filter((s) => typeof s.port === 'number').map((s) => String(s.port)))].sort();
  const keep: RelabelConfig[] = [];
  if (byNumber.length === 0) keep.push({ source_labels: [meta.name], regex: byName.join('|'), action: 'keep' });
  else if (byName.length === 0) keep.push({ source_labels: [meta.number], regex: byNumber.join('|'), action: 'keep' });
  else keep.push({ source_labels: [meta.name, meta.number], separator: ';', regex: `(?:${byName.join('|')});.*|.*;(?:${byNumber.join('|')})`, action: 'keep' });
  if (role === 'service') {
    return [...keep,
      { source_labels: ['__meta_kubernetes_namespace'], target_label: K8S_SIGNAL_LABELS.namespace, action: 'replace' },
      { source_labels: ['__meta_kubernetes_service_name'], target_label: SERVICE_LABEL, action: 'replace' }];
  }
  return [...keep, { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Succeeded|Failed', action: 'drop' }, ...podLabels()];
}

export interface ExtraScrapeRenderOptions {
  /** Where the credential Secrets are mounted: `<secretsDir>/<secret>/<key>`. */
  readonly secretsDir: string;
  /** `sample_limit` of a job that sets none. */
  readonly sampleLimit: number;
  /** The Kubernetes target labels of the stack's pod jobs (`podTargetLabels`). */
  readonly podTargetLabels: () => RelabelConfig[];
}

/** The jobs as `scrape_configs` entries, upstream keys, credentials as files. */
export function renderExtraScrapeConfigs(jobs: readonly ExtraScrapeConfig[], opts: ExtraScrapeRenderOptions): ScrapeConfig[] {
  const file = (secret: string, key: string) => `${opts.secretsDir}/${secret}/${key}`;
  return jobs.map((j) => {
    const sds = j.kubernetesSdConfigs ?? [];
    const tls = j.tlsConfig;
    return {
      job_name: j.jobName,
      ...(j.scrapeInterval !== undefined ? { scrape_interval: j.scrapeInterval } : {}),
      ...(j.scrapeTimeout !== undefined ? { scrape_timeout: j.scrapeTimeout } : {}),
      ...(j.metricsPath !== undefined ? { metrics_path: j.metricsPath } : {}),
      ...(j.scheme !== undefined ? { scheme: j.scheme } : {}),
      ...(j.honorLabels !== undefined ? { honor_labels: j.honorLabels } : {}),
      sample_limit: j.sampleLimit ?? opts.sampleLimit,
      ...(j.basicAuth ? { basic_auth: { username: j.basicAuth.username, password_file: file(j.basicAuth.secretName, j.basicAuth.passwordKey) } } : {}),
      ...(j.bearerToken ? { authorization: { type: 'Bearer' as const, credentials_file: file(j.bearerToken.secretName, j.bearerToken.tokenKey) } } : {}),
      ...(tls ? {
        tls_config: {
          ...(tls.ca ? { ca_file: file(tls.ca.secretName, tls.ca.key) } : {}),
          ...(tls.serverName !== undefined ? { server_name: tls.serverName } : {}),
          ...(tls.insecureSkipVerify !== undefined ? { insecure_skip_verify: tls.insecureSkipVerify } : {}),
        },
      } : {}),
      ...(sds.length > 0 ? { kubernetes_sd_configs: sds.map(discovery) } : {}),
      ...(j.staticConfigs ? { static_configs: j.staticConfigs.map((s) => ({ targets: [...s.targets], ...(s.labels ? { labels: { ...s.labels } } : {}) })) } : {}),
      ...(sds.length > 0 || j.relabelConfigs ? {
        relabel_configs: [...(sds.length > 0 ? discoveryRelabel(sds, opts.podTargetLabels) : []), ...(j.relabelConfigs ?? []).map(relabel)],
      } : {}),
      ...(j.metricRelabelConfigs ? { metric_relabel_configs: j.metricRelabelConfigs.map(relabel) } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// What the jobs need from the rest of the stack

/** Every Secret key the jobs read (basic auth, bearer token, CA), for the mounts. */
export function extraScrapeSecretRefs(jobs: readonly ExtraScrapeConfig[]): Array<{ secretName: string; key: string }> {
  return jobs.flatMap((j) => [
    ...(j.basicAuth ? [{ secretName: j.basicAuth.secretName, key: j.basicAuth.passwordKey }] : []),
    ...(j.bearerToken ? [{ secretName: j.bearerToken.secretName, key: j.bearerToken.tokenKey }] : []),
    ...(j.tlsConfig?.ca ? [{ secretName: j.tlsConfig.ca.secretName, key: j.tlsConfig.ca.key }] : []),
  ]);
}

/** What Prometheus's ServiceAccount needs to discover the jobs' targets. */
export function extraScrapeAccess(jobs: readonly ExtraScrapeConfig[]): ApiAccess[] {
  const roles = new Set(jobs.flatMap((j) => (j.kubernetesSdConfigs ?? []).map((s) => s.role)));
  const out: ApiAccess[] = [];
  const read = ['get', 'list', 'watch'] as const;
  if (roles.has('service') || roles.has('endpointslice')) out.push({ apiGroup: '', resources: ['services'], verbs: read });
  if (roles.has('endpointslice')) {
    // Endpoint discovery also reads the pods behind each endpoint (pods are granted for every job already).
    out.push({ apiGroup: 'discovery.k8s.io', resources: ['endpointslices'], verbs: read });
  }
  return out;
}

function namespacePeers(sd: KubernetesSdSpec, podSelector: k8s.LabelSelector): k8s.NetworkPolicyPeer[] {
  const names = sd.namespaces?.names ?? [];
  if (names.length === 0) return [{ namespaceSelector: {}, podSelector }];
  return [...names].sort().map((n) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } }, podSelector }));
}

function k8sSelector(s: LabelSelectorSpec | undefined): k8s.LabelSelector {
  if (s === undefined) return {};
  return {
    ...(s.matchLabels && Object.keys(s.matchLabels).length > 0 ? { matchLabels: { ...s.matchLabels } } : {}),
    ...(s.matchExpressions && s.matchExpressions.length > 0 ? { matchExpressions: s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values ? { values: [...e.values] } : {}) })) } : {}),
  };
}

/** Prometheus's egress to the discovered targets (see the header), one rule per discovery block. */
export function extraScrapeEgress(jobs: readonly ExtraScrapeConfig[]): k8s.NetworkPolicyEgressRule[] {
  return jobs.flatMap((j) => (j.kubernetesSdConfigs ?? []).map((sd): k8s.NetworkPolicyEgressRule => {
    const port = typeof sd.port === 'number' ? k8s.IntOrString.fromNumber(sd.port) : k8s.IntOrString.fromString(sd.port);
    if (sd.role === 'pod') return { to: namespacePeers(sd, k8sSelector(sd.selector)), ports: [{ protocol: 'TCP', port }] };
    if (sd.role === 'endpointslice' && typeof sd.port === 'number') return { to: namespacePeers(sd, {}), ports: [{ protocol: 'TCP', port }] };
    return { to: namespacePeers(sd, {}) };
  }));
}

/** Jobs whose name the stack already uses (`taken`: the stack's jobs with this config). */
export function extraJobNameIssues(jobs: readonly ExtraScrapeConfig[], taken: ReadonlySet<string>): ConfigIssue[] {
  return jobs.flatMap((j, i) => (taken.has(j.jobName) ? [{
    path: `prometheus.extraScrapeConfigs[${i}].jobName`, value: j.jobName,
    message: 'is the name of one of the stack\'s own scrape jobs', fix: `choose another name (the stack's jobs: ${[...taken].sort().join(', ')})`,
  }] : []));
}

/** Checks of a job against the slice around it: the timeout within the interval (its own, else `globalInterval`), one discovery role. */
export function checkAgainstGlobal(j: ExtraScrapeConfig, i: number, globalInterval: string, ctx: z.RefinementCtx<unknown>): void {
  const interval = parseDurationNs(j.scrapeInterval ?? globalInterval);
  const timeout = j.scrapeTimeout !== undefined ? parseDurationNs(j.scrapeTimeout) : undefined;
  if (interval !== undefined && timeout !== undefined && timeout > interval) {
    report(ctx, ['extraScrapeConfigs', i, 'scrapeTimeout'], j.scrapeTimeout, `is longer than the job's scrape interval "${j.scrapeInterval ?? globalInterval}"`, 'use a timeout no longer than the interval');
  }
  const roles = new Set((j.kubernetesSdConfigs ?? []).map((s) => s.role));
  if (roles.size > 1) {
    report(ctx, ['extraScrapeConfigs', i, 'kubernetesSdConfigs'], [...roles], 'mixes discovery roles in one job (each role labels its targets differently)', 'use one job per role');
  }
}
