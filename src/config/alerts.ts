/**
 * The alerts' config slice: the schema (type and runtime check in one), its defaults, and what each
 * profile changes (thresholds and the Alertmanagers the stack's alerts are sent to).
 */
import * as z from 'zod';
import {
  basicAuthSchema, bearerTokenSchema, duration, flag, httpUrlProblem, list, nonNegative, obj, oneCredential, positive, ratio, report, text,
  type ProfileChanges,
} from './fields';
import { urlHostPort } from '../lib/external';
import { extraRuleGroupsSchema, hasAlerts } from '../lib/rules';

const ALERTMANAGER_EXAMPLE = 'https://alertmanager.example.com';

/**
 * One Alertmanager the stack's alerts are sent to (API v2). Credentials come from a Secret the user creates, mounted as
 * files exactly like remote-write credentials.
 */
export const alertmanagerSchema = obj({
  /**
   * Scheme, host and optional port, without a path: `https://alertmanager.example.com` or, in the cluster,
   * `http://alertmanager.monitoring.svc:9093`. Never with credentials.
   */
  url: text(['is not an http(s) URL', `use e.g. "${ALERTMANAGER_EXAMPLE}"`], (v) => {
    const p = httpUrlProblem(v, ALERTMANAGER_EXAMPLE, { path: false });
    // Prometheus takes the path from path_prefix only; a path in the URL would be silently dropped.
    if (p?.[0] === 'has a path or query') return [p[0], `${p[1]}, and put the path in pathPrefix`];
    return p;
  }),
  /** `path_prefix` when the Alertmanager is served under a path, e.g. `/alertmanager`. @default - none */
  pathPrefix: text(['is not a URL path', 'use a path starting with "/", e.g. "/alertmanager"'],
    (v) => (/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(v) ? undefined : ['is not a URL path', 'use a path starting with "/", e.g. "/alertmanager"'])).optional(),
  /** Basic auth: user name in config, password from `secretName`/`passwordKey`. */
  basicAuth: basicAuthSchema('alertmanager-auth', 'use the user name the Alertmanager (or its proxy) expects').optional(),
  /** Bearer token (`authorization.credentials_file`) from `secretName`/`tokenKey`. */
  bearerToken: bearerTokenSchema('alertmanager-auth').optional(),
}).superRefine((am, ctx) => oneCredential(am, ctx)).readonly();

export const alertsSchema = obj({
  enabled: flag(),
  thresholds: obj({
    /** Error ratio (0..1) above which `ServiceHighErrorRatio` fires. */
    errorRatio: ratio(0.05),
    /** p99 latency in seconds above which `ServiceHighLatencyP99` fires. */
    latencyP99Seconds: positive(1, 86_400),
    /** How long a condition must hold before an alert fires, e.g. `5m`. */
    for: duration('5m'),
    /** Fraction (0..1) of the TSDB size retention at which `PrometheusTsdbNearRetentionSize` fires. */
    tsdbSizeRatio: ratio(0.9),
    /**
     * Requests per second a service must serve before its error-ratio and latency alerts may fire, so a
     * single failed request on an idle service does not page anyone.
     */
    minRequestRate: nonNegative(0.1, 1_000_000),
    /** How long a stack component (or a scrape target) must be down before its alert fires, e.g. `2m`. */
    downFor: duration('2m'),
  }).readonly(),
  /**
   * Alertmanagers (already running, in or outside the cluster) that firing alerts are sent to
   * (`alerting.alertmanagers`). Needs `enabled`. @default - none: alerts fire where they are evaluated only
   */
  alertmanagers: list(alertmanagerSchema, '[{ url: "https://alertmanager.example.com" }], or [] for none').superRefine((ams, ctx) => {
    const seen = new Set<string>();
    ams.forEach((am, i) => {
      const hp = urlHostPort(am.url);
      if (hp === undefined) return;
      const key = `${am.url.split(':')[0]}://${hp.host}:${hp.port}${am.pathPrefix ?? ''}`.replace(/\/+$/, '');
      if (seen.has(key)) report(ctx, [i, 'url'], am.url, 'is listed twice (same URL and pathPrefix)', 'list each Alertmanager once');
      seen.add(key);
    });
  }),
  /**
   * Your own recording and alerting rule groups (`src/lib/rules.ts`), written to `extra.rules.yaml` beside the
   * stack's. Alerting rules need `enabled`. @default - none
   */
  extraRuleGroups: extraRuleGroupsSchema,
}).superRefine((a, ctx) => {
  if (a.alertmanagers.length > 0 && !a.enabled) {
    report(ctx, ['alertmanagers'], a.alertmanagers.map((am) => am.url), 'has no alerts to receive: alerts.enabled is false', 'set alerts.enabled: true, or alertmanagers: []');
  }
  if (!a.enabled && hasAlerts(a.extraRuleGroups)) {
    const alerts = a.extraRuleGroups.flatMap((g) => g.rules.flatMap((r) => (r.alert !== undefined ? [r.alert] : [])));
    report(ctx, ['extraRuleGroups'], alerts, 'holds alerting rules, but alerts.enabled is false', 'set alerts.enabled: true, or keep only recording rules');
  }
}).readonly();

export type AlertsConfig = z.infer<typeof alertsSchema>;
export type AlertThresholds = AlertsConfig['thresholds'];
export type AlertmanagerSpec = z.infer<typeof alertmanagerSchema>;

export const ALERTS_DEFAULTS: AlertsConfig = {
  enabled: true,
  thresholds: { errorRatio: 0.05, latencyP99Seconds: 1, for: '5m', tsdbSizeRatio: 0.9, minRequestRate: 0.1, downFor: '2m' },
  alertmanagers: [],
  extraRuleGroups: [],
};

export const ALERTS_PROFILES: ProfileChanges<AlertsConfig> = {
  prod: { thresholds: { errorRatio: 0.02, latencyP99Seconds: 0.5, for: '10m', downFor: '5m' } },
  large: { thresholds: { errorRatio: 0.02, latencyP99Seconds: 0.5, for: '10m', downFor: '5m' } },
};
