/**
 * The in-stack Alertmanager's config slice: the schema (type and runtime check in one), its defaults, and
 * what each profile changes. Routing fields keep Alertmanager's own key names (`group_by`,
 * `repeat_interval`, `matchers`, `webhook_configs`, ...; checked against Alertmanager v0.34.0's config
 * package). Every credential is a `*_file` key naming a key of a Secret the user creates: obs-stack
 * mounts that Secret read-only and writes only the file path into the config.
 *
 * What Alertmanager itself would refuse at start (a route to an unknown receiver, a bad matcher, a zero
 * interval, a label name it cannot parse) is refused here, with the path, the value and the fix.
 */
import * as z from 'zod';
import type { StackConfig } from '../../config/types';
import {
  dnsSubdomain, durationVerdict, flag, goDuration, httpUrl, image, isPromLabelName, list, listenPorts, num, obj, port, promLabelName,
  re2Problem, replicas, report, resourcesSchema, secretKey, storageSchema, stringMap, text, uniqueBy, type ProfileChanges,
} from '../../config/fields';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';
import { parseDurationNs } from '../../config/units';

// ---------------------------------------------------------------------------------------------------
// Matchers and durations as Alertmanager parses them

export interface MatcherParts {
  readonly name: string;
  readonly type: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s,{}=!~]*))\s*$/;

/** One matcher (`severity="critical"`, `namespace=~"a|b"`, `team!=ops`); undefined when it is not one. */
export function parseMatcher(m: string): MatcherParts | undefined {
  const r = MATCHER.exec(m);
  if (!r) return undefined;
  return { name: r[1], type: r[2] as MatcherParts['type'], value: r[3] !== undefined ? r[3].replace(/\\(.)/g, '$1') : r[4] };
}

const MATCHER_FIX = 'write a label, an operator (=, !=, =~, !~) and a quoted value, e.g. "severity=\\"critical\\""';

/** A matcher Alertmanager accepts: the classic syntax, and a regular expression RE2 compiles. */
const matcher = text(['is not a matcher', MATCHER_FIX], (v) => {
  const m = parseMatcher(v);
  if (m === undefined) return ['is not a matcher', MATCHER_FIX];
  if (m.type === '=~' || m.type === '!~') {
    const why = re2Problem(m.value);
    if (why !== undefined) return [`has a value that is not an RE2 regular expression (${why})`, 'use RE2 syntax, e.g. "namespace=~\\"team-a-.*\\""'];
  }
  return undefined;
});

const matchers = (example: string) => list(matcher, `["${example.replace(/"/g, '\\"')}"]`);

/**
 * A duration in Alertmanager's notation, the Prometheus-style duration (`30s`, `4h`, `1d`). `zero`: allowed to be zero
 * (`group_wait`); Alertmanager refuses a zero `group_interval` or `repeat_interval`.
 */
function routeDuration(example: string, zero: boolean) {
  const fix = `use e.g. "${example}" (units ms, s, m, h, d, w, y)`;
  return text(['is not a duration', fix], (v) => {
    if (zero && parseDurationNs(v) === 0n) return undefined;
    const why = durationVerdict(v, example);
    if (why?.[0] === 'is zero') return ['is zero, which Alertmanager refuses', `use a positive duration, e.g. "${example}"`];
    return why;
  });
}

// ---------------------------------------------------------------------------------------------------
// The route tree

/** A node of the route tree (`route`, `routes[]`). */
export interface AlertmanagerRoute {
  /** Receiver name; the root route must set one, child routes inherit it. */
  readonly receiver?: string;
  /** Labels alerts are grouped by; `["..."]` groups by every label. */
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  /** Matchers such as `severity="critical"` or `namespace=~"team-a-.*"`; all must match. */
  readonly matchers?: readonly string[];
  /** Keep matching the following sibling routes after this one matched. */
  readonly continue?: boolean;
  readonly routes?: readonly AlertmanagerRoute[];
}

const RECEIVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const RECEIVER_FIX = 'use letters, digits, "-", "_" and ".", e.g. "team-a-slack"';
const receiverName = text(['is not a receiver name', RECEIVER_FIX], (v) => (RECEIVER_NAME.test(v) ? undefined : ['is not a receiver name', RECEIVER_FIX]));

const groupBy = list(text(['is not a label name', 'use letters, digits and "_", e.g. "alertname", or "..." alone for every label'],
  (v) => (v === '...' || isPromLabelName(v) ? undefined : ['is not a label name', 'use letters, digits and "_", e.g. "alertname", or "..." alone for every label'])),
'["alertname", "namespace"], or ["..."] for every label').superRefine((labels, ctx) => {
  if (labels.includes('...') && labels.length > 1) report(ctx, [], labels, 'mixes "..." with label names', 'use ["..."] alone, or list the labels');
}).superRefine(uniqueBy((l) => l, 'is listed twice', 'list each label once'));

export const routeSchema: z.ZodType<AlertmanagerRoute> = obj({
  receiver: receiverName.optional(),
  group_by: groupBy.optional(),
  group_wait: routeDuration('30s', true).optional(),
  group_interval: routeDuration('5m', false).optional(),
  repeat_interval: routeDuration('4h', false).optional(),
  matchers: matchers('severity="critical"').optional(),
  continue: flag().optional(),
  get routes() {
    return list(routeSchema, '[{ receiver: "pager", matchers: ["severity=\\"critical\\""] }]').optional();
  },
}).readonly();

// ---------------------------------------------------------------------------------------------------
// Receivers: credentials only from Secret files

/** A key of a Secret the user creates, mounted read-only into the Alertmanager pods. */
function secretFile(exampleKey: string) {
  return obj({ secretName: dnsSubdomain('alertmanager-receivers'), key: secretKey(exampleKey) }).readonly();
}

export type SecretFileRef = z.infer<ReturnType<typeof secretFile>>;

const sendResolved = flag().optional();
const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;
const emailAddress = (example: string) => text(['is not an e-mail address', `use e.g. "${example}"`], (v) => (EMAIL.test(v) ? undefined : ['is not an e-mail address', `use e.g. "${example}"`]));
const HOST_PORT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:(\d{1,5})$/;
/** Free text a notification carries (a Go template is allowed): no line breaks or invisible characters. */
const templateText = (example: string) => text(['must be a string', `use e.g. "${example}"`], (v) => (v === '' || /[\u0000-\u001f\u007f]/.test(v)
  ? ['must be one line of text (a Go template is allowed)', `use e.g. "${example}"`] : undefined));

/** `webhook_configs[]`: the URL lives in the Secret (it often carries a token). */
const webhookSchema = obj({
  url_file: secretFile('webhook-url'),
  send_resolved: sendResolved,
  /** Alerts per message; 0 sends all. */
  max_alerts: num({ min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, example: 0, message: 'must be zero or a positive integer', bound: 'every alert of the group' }).optional(),
}).readonly();

/** `slack_configs[]`: an incoming-webhook URL from the Secret. */
const slackSchema = obj({
  api_url_file: secretFile('slack-webhook-url'),
  channel: text(['is not a Slack channel', 'use e.g. "#alerts"'], (v) => (/^[#@]?[^\s#@]{1,80}$/.test(v) ? undefined : ['is not a Slack channel', 'use e.g. "#alerts"'])).optional(),
  send_resolved: sendResolved,
  /** @default - obs-stack's title template */
  title: templateText('{{ template "obs-stack.title" . }}').optional(),
  /** @default - obs-stack's text template */
  text: templateText('{{ template "obs-stack.text" . }}').optional(),
}).readonly();

/** `email_configs[]`: SMTP with the password from the Secret. */
const emailSchema = obj({
  /** One address, or several separated by commas. */
  to: text(['is not an e-mail address', 'use e.g. "oncall@example.com"'], (v) => (v.split(',').every((a) => EMAIL.test(a.trim())) ? undefined : ['is not an e-mail address', 'use e.g. "oncall@example.com"'])),
  from: emailAddress('alertmanager@example.com'),
  /** `host:port` of the SMTP server. */
  smarthost: text(['is not host:port', 'use e.g. "smtp.example.com:587"'], (v) => {
    const m = HOST_PORT.exec(v);
    return m && Number(m[2]) >= 1 && Number(m[2]) <= 65535 ? undefined : ['is not host:port', 'use e.g. "smtp.example.com:587"'];
  }),
  auth_username: text(['must be a string', 'use the SMTP user name, e.g. "alertmanager"'], (v) => (v === '' || /[\s\u0000-\u001f]/.test(v) ? ['is not a user name', 'use the SMTP user name, e.g. "alertmanager"'] : undefined)).optional(),
  auth_password_file: secretFile('smtp-password').optional(),
  require_tls: flag().optional(),
  send_resolved: sendResolved,
}).superRefine((e, ctx) => {
  if (e.auth_password_file !== undefined && e.auth_username === undefined) {
    report(ctx, ['auth_username'], e.auth_username, 'is not set, and auth_password_file is', 'set the SMTP user name');
  }
}).readonly();

const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** `pagerduty_configs[]`: Events API v2, the integration key from the Secret. */
const pagerdutySchema = obj({
  routing_key_file: secretFile('pagerduty-routing-key'),
  severity: text(['is not a PagerDuty severity', 'use critical, error, warning, info, or a template such as "{{ .CommonLabels.severity }}"'],
    (v) => (PAGERDUTY_SEVERITIES.includes(v) || v.includes('{{') ? undefined : ['is not a PagerDuty severity', 'use critical, error, warning, info, or a template such as "{{ .CommonLabels.severity }}"'])).optional(),
  send_resolved: sendResolved,
}).readonly();

/** `opsgenie_configs[]`: the API key from the Secret. */
const opsgenieSchema = obj({
  api_key_file: secretFile('opsgenie-api-key'),
  /** e.g. `https://api.eu.opsgenie.com/` for the EU instance. @default - Opsgenie's global API */
  api_url: httpUrl('https://api.eu.opsgenie.com/', { path: true }).optional(),
  priority: text(['is not an Opsgenie priority', 'use P1 to P5, or a template'], (v) => (/^P[1-5]$/.test(v) || v.includes('{{') ? undefined : ['is not an Opsgenie priority', 'use P1 to P5, or a template'])).optional(),
  send_resolved: sendResolved,
}).readonly();

/** `msteamsv2_configs[]`: Microsoft Teams through a Workflows (Power Automate) webhook from the Secret. */
const msteamsv2Schema = obj({
  webhook_url_file: secretFile('teams-webhook-url'),
  /** @default - obs-stack's title template */
  title: templateText('{{ template "obs-stack.title" . }}').optional(),
  /** @default - obs-stack's text template */
  text: templateText('{{ template "obs-stack.text" . }}').optional(),
  send_resolved: sendResolved,
}).readonly();

/** The integrations a receiver may list; each takes its credential only from a Secret file. */
export const RECEIVER_INTEGRATIONS = [
  'webhook_configs', 'slack_configs', 'email_configs', 'pagerduty_configs', 'opsgenie_configs', 'msteamsv2_configs',
] as const;
export type ReceiverIntegration = typeof RECEIVER_INTEGRATIONS[number];

export const receiverSchema = obj({
  name: receiverName,
  webhook_configs: list(webhookSchema, '[{ url_file: { secretName: "alertmanager-receivers", key: "webhook-url" } }]').optional(),
  slack_configs: list(slackSchema, '[{ api_url_file: { secretName: "alertmanager-receivers", key: "slack-webhook-url" }, channel: "#alerts" }]').optional(),
  email_configs: list(emailSchema, '[{ to: "oncall@example.com", from: "alertmanager@example.com", smarthost: "smtp.example.com:587" }]').optional(),
  pagerduty_configs: list(pagerdutySchema, '[{ routing_key_file: { secretName: "alertmanager-receivers", key: "pagerduty-routing-key" } }]').optional(),
  opsgenie_configs: list(opsgenieSchema, '[{ api_key_file: { secretName: "alertmanager-receivers", key: "opsgenie-api-key" } }]').optional(),
  msteamsv2_configs: list(msteamsv2Schema, '[{ webhook_url_file: { secretName: "alertmanager-receivers", key: "teams-webhook-url" } }]').optional(),
}).readonly();

export type AlertmanagerReceiver = z.infer<typeof receiverSchema>;

// ---------------------------------------------------------------------------------------------------
// Inhibition, the Watchdog, templates

export const inhibitRuleSchema = obj({
  /** Alerts that inhibit. */
  source_matchers: matchers('severity="critical"').superRefine((m, ctx) => {
    if (m.length === 0) report(ctx, [], m, 'is empty, so every alert would inhibit', 'name the inhibiting alerts, e.g. ["severity=\\"critical\\""]');
  }),
  /** Alerts that are inhibited. */
  target_matchers: matchers('severity="warning"').superRefine((m, ctx) => {
    if (m.length === 0) report(ctx, [], m, 'is empty, so every alert would be inhibited', 'name the inhibited alerts, e.g. ["severity=\\"warning\\""]');
  }),
  /** Labels that must be equal on source and target. */
  equal: list(promLabelName('namespace'), '["alertname", "namespace"]'),
}).readonly();

export type AlertmanagerInhibitRule = z.infer<typeof inhibitRuleSchema>;

/** obs-stack's own notification templates (alertmanager-config.ts); a user file may not take the name. */
export const BUILTIN_TEMPLATE_FILE = 'obs-stack.tmpl';
/** The empty receiver the Watchdog goes to unless `alertmanager.watchdog.receiver` names another. */
export const WATCHDOG_RECEIVER = 'watchdog';

const TEMPLATE_FILE = /^[A-Za-z0-9][A-Za-z0-9_.-]*\.tmpl$/;
const templateFiles = stringMap((name) => {
  if (!TEMPLATE_FILE.test(name) || name.length > 253) return ['is not a template file name', 'use letters, digits, "-", "_" and "." ending in ".tmpl", e.g. "team.tmpl"'];
  if (name === BUILTIN_TEMPLATE_FILE) return ['is obs-stack\'s own template file', 'choose another file name, e.g. "team.tmpl"'];
  return undefined;
}, text(['must be a string', 'write Go template definitions, e.g. "{{ define \\"team.title\\" }}...{{ end }}"'], (v) => {
  if (v.trim() === '') return ['is empty', 'write Go template definitions, e.g. "{{ define \\"team.title\\" }}...{{ end }}"'];
  if ((v.match(/\{\{/g) ?? []).length !== (v.match(/\}\}/g) ?? []).length) return ['has unbalanced {{ and }}', 'close every action with }}'];
  return undefined;
}), '{ "team.tmpl": "{{ define \\"team.title\\" }}...{{ end }}" }');

// ---------------------------------------------------------------------------------------------------
// The slice

/** Every receiver name a route tree names, with its config path. */
function routeReceivers(r: AlertmanagerRoute, path: ReadonlyArray<string | number>): Array<{ path: ReadonlyArray<string | number>; name: string }> {
  return [
    ...(r.receiver !== undefined ? [{ path: [...path, 'receiver'], name: r.receiver }] : []),
    ...(r.routes ?? []).flatMap((child, i) => routeReceivers(child, [...path, 'routes', i])),
  ];
}

export const alertmanagerSchema = obj({
  /** Run an Alertmanager in the stack; the stack's alerts are sent there. Deployed only with `alerts.enabled`. */
  enabled: flag(),
  image: image({ repository: 'quay.io/prometheus/alertmanager', tag: 'v0.34.0' }, { registryHost: true }),
  /** `http`: API, UI and metrics (`--web.listen-address`); `cluster`: peer gossip, TCP and UDP (`--cluster.listen-address`). */
  ports: listenPorts('alertmanager', { http: 9093, cluster: 9094 }),
  /** Replicas; more than one meshes them (`--cluster.peer`), and each is sent every alert. */
  replicas: replicas(2),
  resources: resourcesSchema,
  /** Silences and the notification log (`--storage.path`). */
  storage: storageSchema,
  /** `--data.retention`: how long silences and notification log entries are kept (Go duration). */
  retention: goDuration('120h'),
  /** The route tree (`route`). The root needs a receiver and no matchers. */
  route: routeSchema,
  /** `receivers`; each integration takes its credential from a Secret file. */
  receivers: list(receiverSchema, '[{ name: "default" }]')
    .superRefine(uniqueBy((r) => r.name, 'is used by another receiver', 'give each receiver its own name', 'name')),
  /** `inhibit_rules`. @default - a critical alert inhibits warnings of the same alertname and namespace */
  inhibit_rules: list(inhibitRuleSchema, '[{ source_matchers: ["severity=\\"critical\\""], target_matchers: ["severity=\\"warning\\""], equal: ["alertname"] }]'),
  /** The always-firing `Watchdog` alert and its route: a dead man's switch for the alerting path. */
  watchdog: obj({
    enabled: flag(),
    /**
     * Receiver of the Watchdog, e.g. a webhook to an external dead man's switch that alerts when the
     * heartbeats stop. `watchdog` (the default) is an empty receiver: the alert is visible but goes nowhere.
     */
    receiver: receiverName,
    /** How often the Watchdog notification repeats (the switch's expected heartbeat). */
    repeat_interval: routeDuration('1m', false),
  }).readonly(),
  /** Extra notification template files (`*.tmpl` -> Go template text), next to obs-stack's own. */
  templates: templateFiles,
  /**
   * Ports the Alertmanager may reach at `networkPolicy.externalEgress.cidrs` to deliver notifications: the
   * receivers' URLs are in Secrets, so only their ports can be allowed (e-mail smarthost ports are added).
   */
  notificationEgressPorts: list(port(443), '[443]').superRefine(uniqueBy((p) => String(p), 'is listed twice', 'list each port once')),
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).superRefine((a, ctx) => {
  const names = new Set(a.receivers.map((r) => r.name));
  // The Watchdog's empty default receiver is added by the renderer when no receiver of that name exists.
  const routable = new Set([...names, ...(a.watchdog.enabled && a.watchdog.receiver === WATCHDOG_RECEIVER ? [WATCHDOG_RECEIVER] : [])]);
  const known = [...routable].join(', ');
  if (a.route.receiver === undefined) {
    report(ctx, ['route', 'receiver'], a.route.receiver, 'must be set on the root route', 'name the receiver that gets every alert no child route takes, e.g. "default"');
  }
  if (a.route.matchers !== undefined && a.route.matchers.length > 0) {
    report(ctx, ['route', 'matchers'], a.route.matchers, 'is set on the root route, which must match every alert', 'move the matchers to a child route under routes');
  }
  for (const r of routeReceivers(a.route, ['route'])) {
    if (!routable.has(r.name)) report(ctx, r.path, r.name, 'is not a receiver in alertmanager.receivers', `use one of: ${known}, or add it to alertmanager.receivers`);
  }
  if (a.watchdog.enabled && !routable.has(a.watchdog.receiver)) {
    report(ctx, ['watchdog', 'receiver'], a.watchdog.receiver, 'is not a receiver in alertmanager.receivers',
      `add a receiver named "${a.watchdog.receiver}" (e.g. a webhook to your dead man's switch), or use "${WATCHDOG_RECEIVER}"`);
  }
}).readonly();

export type AlertmanagerConfig = z.infer<typeof alertmanagerSchema>;

/** The inhibition obs-stack starts from: a critical alert silences warnings for the same alert and namespace. */
export const DEFAULT_INHIBIT_RULES: AlertmanagerConfig['inhibit_rules'] = [
  { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'namespace'] },
];

export const ALERTMANAGER_DEFAULTS: AlertmanagerConfig = {
  enabled: true,
  image: { repository: 'quay.io/prometheus/alertmanager', tag: 'v0.34.0' },
  // Upstream defaults (`--web.listen-address=:9093`, `--cluster.listen-address=0.0.0.0:9094`).
  ports: { http: 9093, cluster: 9094 },
  replicas: 1,
  resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
  storage: { persistent: false, size: '1Gi', storageClassName: undefined },
  // Upstream's default.
  retention: '120h',
  route: { receiver: 'default', group_by: ['alertname', 'namespace', 'service'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' },
  // No integration: alerts are visible (its UI, the alerts datasource) until the user adds one.
  receivers: [{ name: 'default' }],
  inhibit_rules: DEFAULT_INHIBIT_RULES,
  watchdog: { enabled: true, receiver: WATCHDOG_RECEIVER, repeat_interval: '1m' },
  templates: {},
  notificationEgressPorts: [443],
  pods: POD_DEFAULTS,
};

/** Silences and the notification log on a claim outside dev; a meshed pair in large. */
export const ALERTMANAGER_PROFILES: ProfileChanges<AlertmanagerConfig> = {
  prod: { storage: { persistent: true, size: '1Gi' } },
  large: {
    replicas: 2,
    storage: { persistent: true, size: '1Gi' },
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  },
};

/** Is the in-stack Alertmanager deployed? It routes the stack's alerts, so it needs them on. */
export function alertmanagerDeployed(cfg: StackConfig): boolean {
  return cfg.alertmanager.enabled && cfg.alerts.enabled;
}
