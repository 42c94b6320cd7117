/**
 * Prometheus's rules (`src/lib/rules.ts` joins them with the other components'):
 * - `red.rules.yaml`: recording rules unifying the RED series of services that expose their own
 *   `/metrics` (`source="metrics"`, HTTP; `source="messages"`, messages a consumer processed) and of
 *   services that only send traces (Tempo span metrics, `source="traces"`). Always rendered: the Services
 *   dashboard reads them.
 * - `alerts.rules.yaml`, when `alerts.enabled`: the services' alerts, and in the stack's group whether
 *   every component is scraped and whether Prometheus evaluates, stores and delivers.
 */
import type { AlertThresholds } from '../../config/types';
import { DASHBOARD_UIDS, dashboardPath } from '../../lib/dashboards';
import { type AlertingRule, type RecordingRule, type RuleContribution, type RuleGroup, type StackJob, RULE_FILE_NAMES, STACK_ALERTS } from '../../lib/rules';
import { NOTIFIER_METRICS } from './metrics';
import { HANDLED_SPANS, SPAN_METRICS } from '../tempo/metrics';
import { RECORDED } from './recorded-series';
import { APP_METRICS, MESSAGING_METRICS } from '../../lib/signals';
import { ANNOTATED_PODS_JOB } from './prometheus-config';

export interface RulesInput {
  readonly alertsEnabled: boolean;
  readonly thresholds: AlertThresholds;
  /** Scrape jobs of the stack components that are deployed (each gets a "component down" alert). */
  readonly componentJobs: readonly StackJob[];
  /**
   * Prometheus sends its alerts to Alertmanagers (`alerts.alertmanagers` is non-empty, or a component of the
   * stack receives alerts): adds the alerts on failed delivery. Without Alertmanagers the notifier metrics stay empty, so the
   * alerts would be noise.
   */
  readonly notifiesAlertmanagers: boolean;
}

/** The window every RED recording uses; the `rate5m` in the recorded names. */
const WINDOW = '5m';

/**
 * Recording rules. Label set of every recorded series: `service`, `source` and `namespace` (span metrics
 * carry it when the service sets the `k8s.namespace.name` resource attribute, which Tempo maps). Rules of
 * one group run in order, so later rules read the results of earlier ones from the same evaluation.
 */
export function redRecordingRules(): RuleGroup {
  const app = APP_METRICS;
  const rules: RecordingRule[] = [
    {
      // HTTP status 503 -> class "5xx".
      record: RECORDED.requestsByClass,
      expr: `sum by (namespace, service, class) (label_replace(rate(${app.requestsTotal}{service!=""}[${WINDOW}]), "class", "\${1}xx", "${app.labels.status}", "([1-5])[0-9][0-9]"))`,
      labels: { source: 'metrics' },
    },
    {
      // Span status ERROR -> class "error", anything else (UNSET, OK) -> "ok".
      record: RECORDED.requestsByClass,
      expr: `sum by (namespace, service, class) (label_replace(label_replace(rate(${SPAN_METRICS.calls}{${HANDLED_SPANS}}[${WINDOW}]), "class", "error", "status_code", "STATUS_CODE_ERROR"), "class", "ok", "class", ""))`,
      labels: { source: 'traces' },
    },
    {
      // Messages a consumer processed, from its own metrics: a failure (any error_type) -> "error".
      record: RECORDED.requestsByClass,
      expr: `sum by (namespace, service, class) (label_replace(label_replace(rate(${MESSAGING_METRICS.consumed}{service!=""}[${WINDOW}]), "class", "error", "${MESSAGING_METRICS.labels.errorType}", ".+"), "class", "ok", "class", ""))`,
      labels: { source: 'messages' },
    },
    { record: RECORDED.requests, expr: `sum without (class) (${RECORDED.requestsByClass})` },
    {
      record: RECORDED.errorRatioByClass,
      expr: `${RECORDED.requestsByClass}{class=~"4xx|5xx|error"} / ignoring (class) group_left ${RECORDED.requests}`,
    },
    {
      // Server-side failures only (a 4xx is the client's mistake). `or ... * 0` records 0 instead of no
      // series when a service has no failures, so panels and alerts see a value.
      record: RECORDED.errorRatio,
      expr: `(sum without (class) (${RECORDED.requestsByClass}{class=~"5xx|error"}) or ${RECORDED.requests} * 0) / ${RECORDED.requests}`,
    },
    {
      record: RECORDED.durationBuckets,
      expr: `sum by (namespace, service, le) (rate(${app.requestDuration}_bucket{service!=""}[${WINDOW}]))`,
      labels: { source: 'metrics' },
    },
    {
      record: RECORDED.durationBuckets,
      expr: `sum by (namespace, service, le) (rate(${SPAN_METRICS.latency}_bucket{${HANDLED_SPANS}}[${WINDOW}]))`,
      labels: { source: 'traces' },
    },
    {
      record: RECORDED.durationBuckets,
      expr: `sum by (namespace, service, le) (rate(${MESSAGING_METRICS.processDuration}_bucket{service!=""}[${WINDOW}]))`,
      labels: { source: 'messages' },
    },
    ...([['0.5', RECORDED.latencyP50], ['0.95', RECORDED.latencyP95], ['0.99', RECORDED.latencyP99]] as const).map(([q, record]) => ({
      record,
      expr: `histogram_quantile(${q}, ${RECORDED.durationBuckets})`,
    })),
  ];
  return { name: 'obs-stack.red', rules };
}

/**
 * A per-service RED condition that prefers a service's own metrics: the `traces` series counts only for
 * services without a `metrics` series in the same namespace, so a service exposing both alerts once, and
 * a same-named service in another namespace does not silence it. Span metrics without a namespace (the
 * service sets no `k8s.namespace.name`) cannot be placed, so those still give way to a same-named service's
 * metrics in any namespace rather than alert twice.
 */
export function preferOwnMetrics(recorded: string, condition: string, minRate: number): string {
  const guard = (source: string) => `${RECORDED.requests}{source="${source}"} >= ${minRate}`;
  const traces = (namespaceMatcher: string, on: string) =>
    `(${recorded}{source="traces", ${namespaceMatcher}} ${condition} and ${guard('traces')} unless on (${on}) ${RECORDED.requests}{source="metrics"})`;
  return `(${recorded}{source="metrics"} ${condition} and ${guard('metrics')})`
    + ` or ${traces('namespace!=""', 'namespace, service')}`
    + ` or ${traces('namespace=""', 'service')}`;
}

/** Share of alert deliveries to one Alertmanager that may fail before PrometheusNotificationsFailing fires. */
const NOTIFICATION_ERROR_RATIO = 0.01;

const pct = (r: number) => `${+(r * 100).toFixed(2)}%`;
const health = dashboardPath(DASHBOARD_UIDS.stackHealth);

/** Prometheus's rules: the RED recordings always; with alerts, the services' group and its parts of the stack's. */
export function prometheusRules(input: RulesInput): RuleContribution[] {
  return [
    { file: RULE_FILE_NAMES.red, group: 'obs-stack.red', rules: redRecordingRules().rules },
    ...(input.alertsEnabled ? [
      { file: RULE_FILE_NAMES.alerts, group: 'obs-stack.services', rules: serviceAlerts(input.thresholds) },
      { file: RULE_FILE_NAMES.alerts, group: STACK_ALERTS.group, part: 'targets' as const, rules: targetAlerts(input) },
      { file: RULE_FILE_NAMES.alerts, group: STACK_ALERTS.group, part: 'evaluation' as const, rules: evaluationAlerts(input) },
    ] : []),
  ];
}

function serviceAlerts(t: AlertThresholds): AlertingRule[] {
  const svc = dashboardPath(DASHBOARD_UIDS.services);

  const services: AlertingRule[] = [
    {
      alert: 'ServiceHighErrorRatio',
      expr: preferOwnMetrics(RECORDED.errorRatio, `> ${t.errorRatio}`, t.minRequestRate),
      for: t.for,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Service {{ $labels.service }} fails more than ' + pct(t.errorRatio) + ' of its requests',
        description: 'Service {{ $labels.service }} ({{ $labels.source }}) answered {{ $value | humanizePercentage }} of its requests with a server error over 5m (threshold '
          + pct(t.errorRatio) + '). Open the Services dashboard, read its logs and failed traces.',
        dashboard: `${svc}?var-service={{ $labels.service }}`,
      },
    },
    {
      alert: 'ServiceHighLatencyP99',
      expr: preferOwnMetrics(RECORDED.latencyP99, `> ${t.latencyP99Seconds}`, t.minRequestRate),
      for: t.for,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Service {{ $labels.service }} p99 latency is above ${t.latencyP99Seconds}s`,
        description: 'Service {{ $labels.service }} ({{ $labels.source }}) has a p99 request latency of {{ $value | humanizeDuration }} over 5m (threshold '
          + `${t.latencyP99Seconds}s). The Services dashboard lists its slowest traces.`,
        dashboard: `${svc}?var-service={{ $labels.service }}`,
      },
    },
    {
      alert: 'ScrapeTargetDown',
      expr: `up{job="${ANNOTATED_PODS_JOB}"} == 0`,
      for: t.downFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Target {{ $labels.instance }} of service {{ $labels.service }} is down',
        description: 'Prometheus cannot scrape {{ $labels.instance }} (service {{ $labels.service }}, pod {{ $labels.namespace }}/{{ $labels.pod }}, job {{ $labels.job }}): '
          + 'it does not answer, fails, or exposes more samples than the job\'s sample_limit; its metrics are missing until it answers again.',
      },
    },
  ];
  return services;
}

/** Whether every stack component answers its scrapes. */
function targetAlerts(input: RulesInput): AlertingRule[] {
  const t = input.thresholds;
  const stack: AlertingRule[] = [];
  const jobs = input.componentJobs.map((j) => j.job);
  for (const { job, title } of input.componentJobs) {
    if (job === 'prometheus') continue; // A Prometheus that is down cannot evaluate its own alert.
    stack.push({
      // `absent(up == 1)`: fires both when every target answers 0 and when none is discovered at all.
      alert: 'ObsStackComponentDown',
      expr: `absent(up{job="${job}"} == 1)`,
      for: t.downFor,
      labels: { severity: 'critical', component: job },
      annotations: {
        summary: `${title} is down`,
        description: `No ${title} target (job ${job}) has answered a scrape for ${t.downFor}: service ${job} is down or no longer discovered.`,
        dashboard: health,
      },
    });
  }
  stack.push({
    alert: 'ObsStackTargetDown',
    expr: `up{job=~"${jobs.join('|')}"} == 0`,
    for: t.downFor,
    labels: { severity: 'warning' },
    annotations: {
      summary: 'Stack target {{ $labels.job }} on {{ $labels.instance }} is down',
      description: 'Prometheus cannot scrape service {{ $labels.job }} at {{ $labels.instance }} (pod {{ $labels.namespace }}/{{ $labels.pod }}, node {{ $labels.node }}).',
      dashboard: health,
    },
  });
  return stack;
}

/** Whether Prometheus evaluates its rules, keeps its storage within retention and delivers its alerts. */
function evaluationAlerts(input: RulesInput): AlertingRule[] {
  const t = input.thresholds;
  const stack: AlertingRule[] = [];
  stack.push(
    {
      alert: 'PrometheusRuleEvaluationFailures',
      expr: 'sum by (rule_group) (increase(prometheus_rule_evaluation_failures_total[5m])) > 0',
      for: '0s',
      labels: { severity: 'warning', component: 'prometheus' },
      annotations: {
        summary: 'Prometheus fails to evaluate rules of {{ $labels.rule_group }}',
        description: 'Service prometheus failed {{ $value | humanize }} evaluations of group {{ $labels.rule_group }} in 5m: recorded series and alerts of that group are missing.',
        dashboard: health,
      },
    },
    {
      // Blocks, WAL and head chunks are what size retention counts.
      alert: 'PrometheusTsdbNearRetentionSize',
      expr: '(prometheus_tsdb_storage_blocks_bytes + prometheus_tsdb_wal_storage_size_bytes + prometheus_tsdb_head_chunks_storage_size_bytes)'
        + ` / (prometheus_tsdb_retention_limit_bytes > 0) > ${t.tsdbSizeRatio}`,
      for: t.for,
      labels: { severity: 'warning', component: 'prometheus' },
      annotations: {
        summary: `Prometheus TSDB uses more than ${pct(t.tsdbSizeRatio)} of its size retention`,
        description: 'Service prometheus ({{ $labels.pod }}) uses {{ $value | humanizePercentage }} of its storage.tsdb.retention.size: the oldest blocks are being deleted '
          + 'before prometheus.retention. Grow prometheus.storage.size or shorten the retention.',
        dashboard: health,
      },
    },
  );
  if (input.notifiesAlertmanagers) {
    const n = NOTIFIER_METRICS;
    const rate = (metric: string) => `rate(${metric}[5m])`;
    stack.push(
      {
        // Prometheus 3 counts an alert in sent_total only once an Alertmanager accepted it, and in
        // errors_total when the attempt failed, so errors / (errors + sent) is the share of failed deliveries
        // (errors / sent alone is +Inf once every delivery fails). Labelled per Alertmanager URL.
        alert: 'PrometheusNotificationsFailing',
        expr: `${rate(n.errors)} / (${rate(n.errors)} + ${rate(n.sent)}) > ${NOTIFICATION_ERROR_RATIO}`,
        for: t.for,
        labels: { severity: 'warning', component: 'prometheus' },
        annotations: {
          summary: 'Prometheus fails to deliver alerts to Alertmanager {{ $labels.alertmanager }}',
          description: 'Service prometheus ({{ $labels.pod }}) failed to deliver {{ $value | humanizePercentage }} of its alerts to {{ $labels.alertmanager }} over 5m: '
            + 'alerts may not reach their receivers. Its log says why (connection, TLS, credentials, HTTP status); check alerts.alertmanagers and the egress to it.',
          dashboard: health,
        },
      },
      {
        // Counts the Alertmanagers of the alerting block that resolved to a target; 0 means every alert is lost.
        alert: 'PrometheusNotConnectedToAlertmanagers',
        expr: `${n.alertmanagersDiscovered} < 1`,
        for: t.downFor,
        labels: { severity: 'critical', component: 'prometheus' },
        annotations: {
          summary: 'Prometheus has no Alertmanager to send alerts to',
          description: 'Service prometheus ({{ $labels.pod }}) has discovered no Alertmanager for ' + t.downFor
            + ': firing alerts show in Prometheus and Grafana only and reach no receiver. Check the alertmanager section and alerts.alertmanagers in the configuration.',
          dashboard: health,
        },
      },
    );
  }
  return stack;
}
