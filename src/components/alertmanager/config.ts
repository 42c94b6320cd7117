/**
 * The in-stack Alertmanager's configuration slice (`alertmanager` in StackConfig): its image, ports, pods
 * and the routing configuration. Routing fields use Alertmanager's own key names (`group_by`,
 * `repeat_interval`, `matchers`, `webhook_configs`, ...). Every credential is a `*_file` key naming a key of
 * a Secret the user creates; obs-stack mounts that Secret and writes only the file path into the config.
 */
import type { ImageSpec, ProfileName, ResourceSpec, StorageSpec } from '../../config/types';

/** A key of a Secret the user creates; mounted read-only into the Alertmanager pods. */
export interface SecretFileRef {
  readonly secretName: string;
  readonly key: string;
}

/** A node of the route tree (`route`, `routes[]`). */
export interface AlertmanagerRoute {
  /** Receiver name; the root route must set one, child routes inherit it. */
  readonly receiver?: string;
  /** Labels alerts are grouped by; `['...']` groups by every label. */
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

export interface WebhookReceiverConfig {
  /** The URL lives in the Secret (it often carries a token). */
  readonly url_file: SecretFileRef;
  readonly send_resolved?: boolean;
  /** Alerts per message; 0 sends all. */
  readonly max_alerts?: number;
}

export interface SlackReceiverConfig {
  /** The incoming-webhook URL. */
  readonly api_url_file: SecretFileRef;
  readonly channel?: string;
  readonly send_resolved?: boolean;
  readonly title?: string;
  readonly text?: string;
}

export interface EmailReceiverConfig {
  readonly to: string;
  readonly from: string;
  /** `host:port` of the SMTP server. */
  readonly smarthost: string;
  readonly auth_username?: string;
  readonly auth_password_file?: SecretFileRef;
  readonly require_tls?: boolean;
  readonly send_resolved?: boolean;
}

export interface PagerdutyReceiverConfig {
  /** Events API v2 integration key. */
  readonly routing_key_file: SecretFileRef;
  readonly severity?: string;
  readonly send_resolved?: boolean;
}

export interface OpsgenieReceiverConfig {
  readonly api_key_file: SecretFileRef;
  /** e.g. `https://api.eu.opsgenie.com/` for the EU instance. @default - Opsgenie's global API */
  readonly api_url?: string;
  readonly priority?: string;
  readonly send_resolved?: boolean;
}

/** Microsoft Teams through a Workflows (Power Automate) webhook. */
export interface MsTeamsV2ReceiverConfig {
  readonly webhook_url_file: SecretFileRef;
  readonly title?: string;
  readonly text?: string;
  readonly send_resolved?: boolean;
}

export interface AlertmanagerReceiver {
  readonly name: string;
  readonly webhook_configs?: readonly WebhookReceiverConfig[];
  readonly slack_configs?: readonly SlackReceiverConfig[];
  readonly email_configs?: readonly EmailReceiverConfig[];
  readonly pagerduty_configs?: readonly PagerdutyReceiverConfig[];
  readonly opsgenie_configs?: readonly OpsgenieReceiverConfig[];
  readonly msteamsv2_configs?: readonly MsTeamsV2ReceiverConfig[];
}

/** The integrations a receiver may list (the keys of `AlertmanagerReceiver` besides `name`). */
export const RECEIVER_INTEGRATIONS = [
  'webhook_configs', 'slack_configs', 'email_configs', 'pagerduty_configs', 'opsgenie_configs', 'msteamsv2_configs',
] as const;
export type ReceiverIntegration = typeof RECEIVER_INTEGRATIONS[number];

export interface AlertmanagerInhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  /** Labels that must be equal on source and target. */
  readonly equal: readonly string[];
}

export interface AlertmanagerWatchdog {
  /** Add the always-firing `Watchdog` alert and its route. */
  readonly enabled: boolean;
  /**
   * Receiver of the Watchdog: an external dead man's switch that alerts when the heartbeats stop (e.g. a
   * webhook receiver). `watchdog` (the default) is an empty receiver: the alert is visible but goes nowhere.
   */
  readonly receiver: string;
  /** How often the Watchdog notification repeats (the switch's expected heartbeat). */
  readonly repeat_interval: string;
}

export interface AlertmanagerStackConfig {
  /** Run an Alertmanager in the stack; Prometheus sends its alerts there. Only deployed with `alerts.enabled`. */
  readonly enabled: boolean;
  readonly image: ImageSpec;
  /** `http`: API, UI and metrics; `cluster`: peer gossip (TCP and UDP). */
  readonly ports: { readonly http: number; readonly cluster: number };
  /** Replicas; more than one meshes them (`--cluster.peer`), and Prometheus notifies each. */
  readonly replicas: number;
  readonly resources: ResourceSpec;
  /** Silences and the notification log (`--storage.path`). */
  readonly storage: StorageSpec;
  /** `--data.retention`: how long silences and notification log entries are kept (Go duration). */
  readonly retention: string;
  /** The route tree (`route`). */
  readonly route: AlertmanagerRoute;
  readonly receivers: readonly AlertmanagerReceiver[];
  /** `inhibit_rules`. @default - a critical alert inhibits warnings of the same alertname and namespace */
  readonly inhibit_rules: readonly AlertmanagerInhibitRule[];
  readonly watchdog: AlertmanagerWatchdog;
  /** Extra notification template files (file name `*.tmpl` -> Go template text), next to obs-stack's own. */
  readonly templates: Readonly<Record<string, string>>;
  /**
   * Ports the Alertmanager may reach outside the cluster to deliver notifications (the receivers' URLs are
   * in Secrets, so only their ports can be allowed; e-mail smarthost ports are added automatically).
   */
  readonly notificationEgressPorts: readonly number[];
}

/** The inhibition obs-stack starts from: a critical alert silences warnings for the same alert and namespace. */
export const DEFAULT_INHIBIT_RULES: readonly AlertmanagerInhibitRule[] = [
  { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'namespace'] },
];

export const ALERTMANAGER_DEFAULTS: AlertmanagerStackConfig = {
  enabled: true,
  image: { repository: 'quay.io/prometheus/alertmanager', tag: 'v0.34.0' },
  // Upstream defaults (`--web.listen-address=:9093`, `--cluster.listen-address=0.0.0.0:9094`).
  ports: { http: 9093, cluster: 9094 },
  replicas: 1,
  resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
  storage: { persistent: false, size: '1Gi', storageClassName: undefined },
  retention: '120h',
  route: {
    receiver: 'default',
    group_by: ['alertname', 'namespace', 'service'],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '4h',
  },
  // No integration: alerts are visible (UI, Grafana) until the user adds one.
  receivers: [{ name: 'default' }],
  inhibit_rules: DEFAULT_INHIBIT_RULES,
  watchdog: { enabled: true, receiver: 'watchdog', repeat_interval: '1m' },
  templates: {},
  notificationEgressPorts: [443],
};

/** What each profile changes: persistent silences outside dev, a meshed pair in large. */
export const ALERTMANAGER_PROFILES: Readonly<Record<ProfileName, Partial<AlertmanagerStackConfig>>> = {
  dev: {},
  prod: {
    storage: { persistent: true, size: '1Gi' },
  },
  large: {
    replicas: 2,
    storage: { persistent: true, size: '1Gi' },
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  },
};
