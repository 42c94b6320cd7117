/**
 * Alertmanager's configuration file as typed data, with upstream key names
 * (https://prometheus.io/docs/alerting/latest/configuration/). Pure: the `alertmanager` config slice in,
 * object out; the manifests and the Helm values share it. Credentials are only ever `*_file` paths under
 * the mounted Secrets: the config never holds a secret value.
 */
import { toYaml } from '../../lib/yaml';
import { WATCHDOG_ALERT } from '../../lib/rules';
import {
  type AlertmanagerConfig, type AlertmanagerReceiver, type AlertmanagerRoute, type ReceiverIntegration, type SecretFileRef, BUILTIN_TEMPLATE_FILE,
} from './config';

/** Paths inside the Alertmanager container. */
export const ALERTMANAGER_PATHS = {
  configDir: '/etc/alertmanager/config',
  configFile: 'alertmanager.yaml',
  templatesDir: '/etc/alertmanager/templates',
  /** One read-only mount per Secret: `<secretsDir>/<secret>/<key>`. */
  secretsDir: '/etc/alertmanager/secrets',
  dataDir: '/alertmanager',
} as const;


/** Names of the templates in BUILTIN_TEMPLATE_FILE. */
export const TEMPLATE_NAMES = { title: 'obs-stack.title', text: 'obs-stack.text' } as const;

/** A title and a body for the chat integrations (Slack, Teams) unless a receiver sets its own. */
export const BUILTIN_TEMPLATES = [
  `{{ define "${TEMPLATE_NAMES.title}" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ with .CommonLabels.namespace }} ({{ . }}){{ end }}{{ end }}`,
  `{{ define "${TEMPLATE_NAMES.text}" }}{{ range .Alerts }}[{{ .Labels.severity }}] {{ .Annotations.summary }}`,
  '{{ .Annotations.description }}{{ with .Annotations.dashboard }} Dashboard: {{ . }}{{ end }}',
  '{{ end }}{{ end }}',
  '',
].join('\n');

// ---- the file's shape (only the keys obs-stack writes) ----

export interface RouteFile {
  receiver?: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  matchers?: string[];
  continue?: boolean;
  routes?: RouteFile[];
}

export interface ReceiverFile {
  name: string;
  webhook_configs?: Array<{ url_file: string; send_resolved?: boolean; max_alerts?: number }>;
  slack_configs?: Array<{ api_url_file: string; channel?: string; send_resolved?: boolean; title: string; text: string }>;
  email_configs?: Array<{ to: string; from: string; smarthost: string; auth_username?: string; auth_password_file?: string; require_tls?: boolean; send_resolved?: boolean }>;
  pagerduty_configs?: Array<{ routing_key_file: string; severity?: string; send_resolved?: boolean }>;
  opsgenie_configs?: Array<{ api_key_file: string; api_url?: string; priority?: string; send_resolved?: boolean }>;
  msteamsv2_configs?: Array<{ webhook_url_file: string; title: string; text: string; send_resolved?: boolean }>;
}

export interface InhibitRuleFile {
  source_matchers: string[];
  target_matchers: string[];
  equal: string[];
}

export interface AlertmanagerConfigFile {
  global: { resolve_timeout: string };
  route: RouteFile;
  inhibit_rules: InhibitRuleFile[];
  receivers: ReceiverFile[];
  templates: string[];
}

/** Where a Secret key is mounted in the pod. */
export function secretFilePath(ref: SecretFileRef, secretsDir: string = ALERTMANAGER_PATHS.secretsDir): string {
  return `${secretsDir}/${ref.secretName}/${ref.key}`;
}

/** The Secret key each integration of a receiver reads. */
function receiverSecretRefs(r: AlertmanagerReceiver): SecretFileRef[] {
  return [
    ...(r.webhook_configs ?? []).map((w) => w.url_file),
    ...(r.slack_configs ?? []).map((s) => s.api_url_file),
    ...(r.email_configs ?? []).flatMap((e) => (e.auth_password_file ? [e.auth_password_file] : [])),
    ...(r.pagerduty_configs ?? []).map((p) => p.routing_key_file),
    ...(r.opsgenie_configs ?? []).map((o) => o.api_key_file),
    ...(r.msteamsv2_configs ?? []).map((t) => t.webhook_url_file),
  ];
}

/** Every Secret (name -> keys, sorted) the receivers read, in first-use order. */
export function receiverSecrets(receivers: readonly AlertmanagerReceiver[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ref of receivers.flatMap(receiverSecretRefs)) {
    out.set(ref.secretName, [...new Set([...(out.get(ref.secretName) ?? []), ref.key])].sort());
  }
  return out;
}

/** Whether any receiver delivers anywhere (an empty receiver only shows the alert). */
export function hasIntegrations(receivers: readonly AlertmanagerReceiver[]): boolean {
  return receivers.some((r) => Object.keys(r).some((k) => k !== 'name' && ((r as Record<string, unknown>)[k] as unknown[] | undefined ?? []).length > 0));
}

/** Ports of the e-mail smarthosts (the notification egress needs them). */
export function smarthostPorts(receivers: readonly AlertmanagerReceiver[]): number[] {
  return receivers.flatMap((r) => (r.email_configs ?? []).map((e) => Number(e.smarthost.split(':').pop())));
}

const opt = <K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> => (v === undefined ? {} : { [key]: v } as Record<K, V>);

function renderRoute(r: AlertmanagerRoute): RouteFile {
  return {
    ...opt('receiver', r.receiver),
    ...opt('group_by', r.group_by ? [...r.group_by] : undefined),
    ...opt('group_wait', r.group_wait),
    ...opt('group_interval', r.group_interval),
    ...opt('repeat_interval', r.repeat_interval),
    ...opt('matchers', r.matchers ? [...r.matchers] : undefined),
    ...opt('continue', r.continue),
    ...(r.routes && r.routes.length > 0 ? { routes: r.routes.map(renderRoute) } : {}),
  };
}

function renderReceiver(r: AlertmanagerReceiver, secretsDir: string): ReceiverFile {
  const file = (ref: SecretFileRef) => secretFilePath(ref, secretsDir);
  const chat = { title: `{{ template "${TEMPLATE_NAMES.title}" . }}`, text: `{{ template "${TEMPLATE_NAMES.text}" . }}` };
  const out: ReceiverFile = { name: r.name };
  const set = <K extends ReceiverIntegration>(key: K, list: ReceiverFile[K] | undefined) => { if (list !== undefined && list.length > 0) out[key] = list; };
  set('webhook_configs', r.webhook_configs?.map((w) => ({ url_file: file(w.url_file), ...opt('send_resolved', w.send_resolved), ...opt('max_alerts', w.max_alerts) })));
  set('slack_configs', r.slack_configs?.map((s) => ({
    api_url_file: file(s.api_url_file), ...opt('channel', s.channel), ...opt('send_resolved', s.send_resolved),
    title: s.title ?? chat.title, text: s.text ?? chat.text,
  })));
  set('email_configs', r.email_configs?.map((e) => ({
    to: e.to, from: e.from, smarthost: e.smarthost, ...opt('auth_username', e.auth_username),
    ...(e.auth_password_file ? { auth_password_file: file(e.auth_password_file) } : {}),
    ...opt('require_tls', e.require_tls), ...opt('send_resolved', e.send_resolved),
  })));
  set('pagerduty_configs', r.pagerduty_configs?.map((p) => ({ routing_key_file: file(p.routing_key_file), ...opt('severity', p.severity), ...opt('send_resolved', p.send_resolved) })));
  set('opsgenie_configs', r.opsgenie_configs?.map((o) => ({ api_key_file: file(o.api_key_file), ...opt('api_url', o.api_url), ...opt('priority', o.priority), ...opt('send_resolved', o.send_resolved) })));
  set('msteamsv2_configs', r.msteamsv2_configs?.map((t) => ({
    webhook_url_file: file(t.webhook_url_file), title: t.title ?? chat.title, text: t.text ?? chat.text, ...opt('send_resolved', t.send_resolved),
  })));
  return out;
}

/** The Watchdog's route: first, so no other route takes it; notified every `repeat_interval` while all is well. */
export function watchdogRoute(receiver: string, repeatInterval: string): RouteFile {
  return { receiver, matchers: [`alertname="${WATCHDOG_ALERT}"`], group_wait: '0s', group_interval: '1m', repeat_interval: repeatInterval };
}

export interface AlertmanagerConfigInput {
  readonly config: AlertmanagerConfig;
  /** Where Secrets are mounted. @default ALERTMANAGER_PATHS.secretsDir */
  readonly secretsDir?: string;
  /** Where template files are mounted. @default ALERTMANAGER_PATHS.templatesDir */
  readonly templatesDir?: string;
}

export function renderAlertmanagerConfig(input: AlertmanagerConfigInput): AlertmanagerConfigFile {
  const a = input.config;
  const secretsDir = input.secretsDir ?? ALERTMANAGER_PATHS.secretsDir;
  const w = a.watchdog;
  const receivers = a.receivers.map((r) => renderReceiver(r, secretsDir));
  if (w.enabled && !receivers.some((r) => r.name === w.receiver)) receivers.push({ name: w.receiver });
  const root = renderRoute(a.route);
  const routes = [...(w.enabled ? [watchdogRoute(w.receiver, w.repeat_interval)] : []), ...(root.routes ?? [])];
  return {
    global: { resolve_timeout: '5m' },
    route: { ...root, ...(routes.length > 0 ? { routes } : {}) },
    inhibit_rules: a.inhibit_rules.map((r) => ({ source_matchers: [...r.source_matchers], target_matchers: [...r.target_matchers], equal: [...r.equal] })),
    receivers,
    templates: [`${input.templatesDir ?? ALERTMANAGER_PATHS.templatesDir}/*.tmpl`],
  };
}

/** Template files: obs-stack's own first, then the user's, by name. */
export function alertmanagerTemplateFiles(config: AlertmanagerConfig): Record<string, string> {
  const user = Object.keys(config.templates).sort();
  return { [BUILTIN_TEMPLATE_FILE]: BUILTIN_TEMPLATES, ...Object.fromEntries(user.map((k) => [k, config.templates[k]])) };
}

export function renderAlertmanagerConfigYaml(input: AlertmanagerConfigInput): string {
  return toYaml(renderAlertmanagerConfig(input));
}
