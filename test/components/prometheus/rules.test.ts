import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { ruleFilesFor, stackRuleFiles } from '../../../src/components/content';
import { CLUSTER_RULE_FILE } from '../../../src/components/kubernetes/rules';
import { redRecordingRules } from '../../../src/components/prometheus/rules';
import { resolveEnvironment } from '../../../src/config/resolve';
import type { StackOverrides } from '../../../src/config/types';
import { catalogNames } from '../../../src/lib/metrics-catalog';
import { RULE_FILE_NAMES, renderRuleFiles as renderYaml, ruleExpressions, type AlertingRule, type RuleFile, type StackJob } from '../../../src/lib/rules';
import { toYaml } from '../../../src/lib/yaml';
import { buildEnv, configMapYaml, objectsOf } from '../../support/synth';
import { parseErrors, promqlMetricNames } from '../../support/queries';

const TITLES: Record<string, string> = { prometheus: 'Prometheus', cadvisor: 'cAdvisor', loki: 'Loki', tempo: 'Tempo', grafana: 'Grafana', promtail: 'Promtail', alloy: 'Alloy' };
const jobs = (...names: string[]) => names.map((job) => ({ job, title: TITLES[job] }));

/** A config and the scrape jobs; the dev defaults: thresholds 0.05, 1 s, 5m, 0.9, 0.1 req/s, 2m, and the in-stack Alertmanager. */
interface Input { readonly overrides: StackOverrides; readonly jobs: readonly StackJob[] }
const input: Input = { overrides: { logAgent: 'promtail' }, jobs: jobs('prometheus', 'cadvisor', 'loki', 'tempo', 'grafana', 'promtail') };
const withOverrides = (overrides: StackOverrides): Input => ({ ...input, overrides: { ...input.overrides, ...overrides } });
/** red.rules.yaml and alerts.rules.yaml as the stack writes them (kubernetes.rules.yaml: test/components/kubernetes/rules.test.ts). */
function renderRuleFiles(i: Input): Record<string, RuleFile> {
  const all = stackRuleFiles(resolveEnvironment({ name: 't', profile: 'dev', overrides: i.overrides }).config, i.jobs);
  return Object.fromEntries(Object.entries(all).filter(([name]) => name !== CLUSTER_RULE_FILE));
}
const renderRuleFilesYaml = (i: Input): Record<string, string> => renderYaml(renderRuleFiles(i));
const files = renderRuleFiles(input);
const alerts = (f: Record<string, RuleFile>) => Object.values(f).flatMap((x) => x.groups.flatMap((g) => g.rules)).filter((r): r is AlertingRule => 'alert' in r);

/** promtool on PATH, or the reason it cannot run; in CI a missing promtool is a failure, not a skip. */
function promtool(): string | undefined {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return 'promtool';
  if (process.env.CI === 'true') throw new Error('promtool is not installed, and CI=true requires the promtool rule tests to run');
  console.warn('SKIPPED: promtool is not installed; the promtool rule checks and unit tests did not run (install prometheus/promtool to run them)');
  return undefined;
}

function writeRules(dir: string, rendered: Record<string, string>): string[] {
  return Object.entries(rendered).map(([name, text]) => { writeFileSync(join(dir, name), text); return name; });
}

/**
 * promtool compares annotations too (none expected = none allowed). The unit tests check labels, so their
 * copy of the rules keeps annotations only on ScrapeTargetDown, whose templated text they check.
 */
function withoutAnnotations(rendered: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(rendered).map(([name, text]) => {
    const file = load(text) as RuleFile;
    for (const g of file.groups) for (const r of g.rules) if ('alert' in r && r.alert !== 'ScrapeTargetDown') delete (r as Partial<AlertingRule>).annotations;
    return [name, toYaml(file)];
  }));
}

/** Series in promtool's expanding notation (`a+bxN`), one sample per minute. */
const series = (s: string, values: string) => ({ series: s, values });
const appReq = (svc: string, status: string, values: string) =>
  series(`http_requests_total{job="kubernetes-pods", namespace="shop", pod="${svc}-1", service="${svc}", method="GET", route="/", status="${status}"}`, values);
const spanCalls = (svc: string, status: string, values: string, namespace?: string) =>
  series(`traces_spanmetrics_calls_total{cluster="kind", ${namespace !== undefined ? `namespace="${namespace}", ` : ''}service="${svc}", span_name="GET /", span_kind="SPAN_KIND_SERVER", status_code="${status}"}`, values);
const appReqIn = (namespace: string, svc: string, status: string, values: string) =>
  series(`http_requests_total{job="kubernetes-pods", namespace="${namespace}", pod="${svc}-1", service="${svc}", method="GET", route="/", status="${status}"}`, values);
const consumed = (svc: string, errorType: string | undefined, values: string) =>
  series(`messaging_client_consumed_messages_total{job="kubernetes-pods", namespace="shop", pod="${svc}-1", service="${svc}", messaging_system="kafka", messaging_destination_name="orders", messaging_operation_name="process"${errorType ? `, error_type="${errorType}"` : ''}}`, values);
const processBucket = (svc: string, le: string, values: string) =>
  series(`messaging_process_duration_seconds_bucket{job="kubernetes-pods", namespace="shop", pod="${svc}-1", service="${svc}", messaging_system="kafka", messaging_destination_name="orders", messaging_operation_name="process", le="${le}"}`, values);
const spanKindCalls = (svc: string, kind: string, status: string, values: string) =>
  series(`traces_spanmetrics_calls_total{cluster="kind", service="${svc}", span_name="x", span_kind="${kind}", status_code="${status}"}`, values);
const appBucket = (svc: string, le: string, values: string) =>
  series(`http_request_duration_seconds_bucket{job="kubernetes-pods", namespace="shop", pod="${svc}-1", service="${svc}", method="GET", route="/", status="200", le="${le}"}`, values);

/** The unit tests: input series -> alerts that must fire, and must not, at given times. */
function unitTests(ruleFiles: string[]): unknown {
  return {
    rule_files: ruleFiles,
    evaluation_interval: '1m',
    tests: [{
      interval: '1m',
      input_series: [
        // checkout: own metrics, 0.2 of 1.2 req/s fail (17%); its span metrics say 100% but own metrics win.
        appReq('checkout', '200', '0+60x40'), appReq('checkout', '500', '0+12x40'), appReq('checkout', '404', '0+6x40'),
        spanCalls('checkout', 'STATUS_CODE_ERROR', '0+60x40'),
        // catalog: 1 of 61 per minute fail (1.6%): below the threshold.
        appReq('catalog', '200', '0+60x40'), appReq('catalog', '500', '0+1x40'),
        // idle: every request fails, but 0.05 req/s is below minRequestRate.
        appReq('idle', '500', '0+3x40'),
        // payments: traces only, half the server spans fail; its producer spans (sends) are not requests it served.
        spanCalls('payments', 'STATUS_CODE_ERROR', '0+30x40'), spanCalls('payments', 'STATUS_CODE_UNSET', '0+30x40'),
        // ledger in billing: traces only (with the namespace), half fail; a healthy ledger in shop has its own
        // metrics. The one in shop must not silence the one in billing.
        spanCalls('ledger', 'STATUS_CODE_ERROR', '0+30x40', 'billing'), spanCalls('ledger', 'STATUS_CODE_UNSET', '0+30x40', 'billing'),
        appReqIn('shop', 'ledger', '200', '0+60x40'),
        // orders in shop: failing spans, healthy own metrics, same namespace: the metrics win, no alert.
        spanCalls('orders', 'STATUS_CODE_ERROR', '0+30x40', 'shop'), appReqIn('shop', 'orders', '200', '0+60x40'),
        spanKindCalls('payments', 'SPAN_KIND_PRODUCER', 'STATUS_CODE_UNSET', '0+1000x40'),
        // worker: a message consumer; a quarter of its messages fail, on its own metrics and its consumer spans.
        consumed('worker', undefined, '0+45x40'), consumed('worker', 'injected_failure', '0+15x40'),
        spanKindCalls('worker', 'SPAN_KIND_CONSUMER', 'STATUS_CODE_UNSET', '0+45x40'), spanKindCalls('worker', 'SPAN_KIND_CONSUMER', 'STATUS_CODE_ERROR', '0+15x40'),
        processBucket('worker', '0.1', '0+30x40'), processBucket('worker', '0.25', '0+60x40'), processBucket('worker', '+Inf', '0+60x40'),
        // checkout latency: 12 of 72 requests per minute above 2.5s -> p99 2.5s; catalog all under 0.1s.
        appBucket('checkout', '0.1', '0+60x40'), appBucket('checkout', '1', '0+60x40'), appBucket('checkout', '2.5', '0+60x40'), appBucket('checkout', '+Inf', '0+72x40'),
        appBucket('catalog', '0.1', '0+61x40'), appBucket('catalog', '1', '0+61x40'), appBucket('catalog', '2.5', '0+61x40'), appBucket('catalog', '+Inf', '0+61x40'),
        // Scrape targets: checkout goes down at 2m, catalog stays up.
        series('up{job="kubernetes-pods", instance="10.0.0.1:8080", namespace="shop", pod="checkout-1", service="checkout"}', '1 1 0x20'),
        series('up{job="kubernetes-pods", instance="10.0.0.2:8080", namespace="shop", pod="catalog-1", service="catalog"}', '1x20'),
        // Components: Loki down, Grafana never discovered, the rest up.
        series('up{job="loki", instance="10.0.1.1:3100", namespace="observability", pod="loki-0", node="n1"}', '0x20'),
        series('up{job="tempo", instance="10.0.1.2:3200", namespace="observability", pod="tempo-0", node="n1"}', '1x20'),
        series('up{job="cadvisor", instance="n1", node="n1"}', '1x20'),
        series('up{job="promtail", instance="10.0.2.1:3101", namespace="observability-agents", pod="promtail-a", node="n1"}', '1x20'),
        series('up{job="prometheus", instance="10.0.1.3:9090", namespace="observability", pod="prometheus-0", node="n1"}', '1x20'),
        // Loki discards; Tempo does not.
        series('loki_discarded_samples_total{job="loki", reason="rate_limited", tenant="fake"}', '0+10x20'),
        series('tempo_discarded_spans_total{job="tempo", reason="rate_limited", tenant="single-tenant"}', '0x20'),
        // Rule evaluation failures at 3m-5m only.
        series('prometheus_rule_evaluation_failures_total{job="prometheus", rule_group="/etc/prometheus/rules/x.yaml;g"}', '0 0 0 1 2 3 3 3 3 3 3 3 3 3 3 3'),
        // TSDB: p at 98% of its size retention, q at 15%, r without a size retention.
        series('prometheus_tsdb_storage_blocks_bytes{job="prometheus", instance="p"}', '950x20'),
        series('prometheus_tsdb_wal_storage_size_bytes{job="prometheus", instance="p"}', '20x20'),
        series('prometheus_tsdb_head_chunks_storage_size_bytes{job="prometheus", instance="p"}', '10x20'),
        series('prometheus_tsdb_retention_limit_bytes{job="prometheus", instance="p"}', '1000x20'),
        series('prometheus_tsdb_storage_blocks_bytes{job="prometheus", instance="q"}', '100x20'),
        series('prometheus_tsdb_wal_storage_size_bytes{job="prometheus", instance="q"}', '40x20'),
        series('prometheus_tsdb_head_chunks_storage_size_bytes{job="prometheus", instance="q"}', '10x20'),
        series('prometheus_tsdb_retention_limit_bytes{job="prometheus", instance="q"}', '1000x20'),
        series('prometheus_tsdb_storage_blocks_bytes{job="prometheus", instance="r"}', '950x20'),
        series('prometheus_tsdb_wal_storage_size_bytes{job="prometheus", instance="r"}', '20x20'),
        series('prometheus_tsdb_head_chunks_storage_size_bytes{job="prometheus", instance="r"}', '10x20'),
        series('prometheus_tsdb_retention_limit_bytes{job="prometheus", instance="r"}', '0x20'),
        // Alert delivery by Alertmanager: am-a fails half its alerts, am-b every one (nothing accepted),
        // am-c 1 in 201 (0.5%, under the 1% threshold), am-d none.
        ...([['am-a', '0+10x40', '0+10x40'], ['am-b', '0+5x40', '0x40'], ['am-c', '0+1x40', '0+200x40'], ['am-d', '0x40', '0+100x40']] as const)
          .flatMap(([am, errors, sent]) => [
            series(`prometheus_notifications_errors_total{job="prometheus", pod="prometheus-0", alertmanager="http://${am}:9093/api/v2/alerts"}`, errors),
            series(`prometheus_notifications_sent_total{job="prometheus", pod="prometheus-0", alertmanager="http://${am}:9093/api/v2/alerts"}`, sent),
          ]),
        // prometheus-0 keeps its Alertmanagers; prometheus-1 loses them at 3m.
        series('prometheus_notifications_alertmanagers_discovered{job="prometheus", pod="prometheus-0"}', '2x20'),
        series('prometheus_notifications_alertmanagers_discovered{job="prometheus", pod="prometheus-1"}', '1 1 1 0x20'),
        // Promtail a reads but ships nothing; b reads and ships.
        series('promtail_read_lines_total{job="promtail", namespace="observability-agents", pod="promtail-a", node="n1"}', '0+100x40'),
        series('promtail_sent_entries_total{job="promtail", namespace="observability-agents", pod="promtail-a", node="n1"}', '0x40'),
        series('promtail_read_lines_total{job="promtail", namespace="observability-agents", pod="promtail-b", node="n2"}', '0+100x40'),
        series('promtail_sent_entries_total{job="promtail", namespace="observability-agents", pod="promtail-b", node="n2"}', '0+100x40'),
      ],
      promql_expr_test: [
        { expr: 'round(service:red_error_ratio:rate5m{service="checkout"} * 1000)', eval_time: '10m',
          exp_samples: [
            { labels: '{namespace="shop", service="checkout", source="metrics"}', value: 154 },
            { labels: '{service="checkout", source="traces"}', value: 1000 },
          ] },
        { expr: 'round(service_class:red_error_ratio:rate5m{service="checkout", source="metrics"} * 1000)', eval_time: '10m',
          exp_samples: [
            { labels: '{namespace="shop", service="checkout", source="metrics", class="4xx"}', value: 77 },
            { labels: '{namespace="shop", service="checkout", source="metrics", class="5xx"}', value: 154 },
          ] },
        { expr: 'service:red_error_ratio:rate5m{service="catalog"} > 0 < 0.02', eval_time: '10m',
          exp_samples: [{ labels: 'service:red_error_ratio:rate5m{namespace="shop", service="catalog", source="metrics"}', value: 1 / 61 }] },
        { expr: 'service:red_request_duration_seconds:p99_rate5m{service="checkout"}', eval_time: '10m',
          exp_samples: [{ labels: 'service:red_request_duration_seconds:p99_rate5m{namespace="shop", service="checkout", source="metrics"}', value: 2.5 }] },
        // Producer spans do not count as requests: payments stays at half failing.
        { expr: 'round(service:red_error_ratio:rate5m{service="payments"} * 1000)', eval_time: '10m',
          exp_samples: [{ labels: '{service="payments", source="traces"}', value: 500 }] },
        // A consumer shows up like any other service: from its messages and from its consumer spans.
        { expr: 'round(service:red_error_ratio:rate5m{service="worker"} * 1000)', eval_time: '10m',
          exp_samples: [
            { labels: '{namespace="shop", service="worker", source="messages"}', value: 250 },
            { labels: '{service="worker", source="traces"}', value: 250 },
          ] },
        { expr: 'round(service:red_request_duration_seconds:p99_rate5m{service="worker", source="messages"} * 1000)', eval_time: '10m',
          exp_samples: [{ labels: '{namespace="shop", service="worker", source="messages"}', value: 247 }] },
      ],
      alert_rule_test: [
        { alertname: 'ServiceHighErrorRatio', eval_time: '4m', exp_alerts: [] }, // not yet for 5m
        { alertname: 'ServiceHighErrorRatio', eval_time: '15m', exp_alerts: [
          { exp_labels: { severity: 'critical', namespace: 'shop', service: 'checkout', source: 'metrics' } },
          { exp_labels: { severity: 'critical', service: 'payments', source: 'traces' } },
          { exp_labels: { severity: 'critical', namespace: 'billing', service: 'ledger', source: 'traces' } },
          { exp_labels: { severity: 'critical', service: 'worker', source: 'traces' } },
        ] },
        { alertname: 'ServiceHighLatencyP99', eval_time: '15m', exp_alerts: [
          { exp_labels: { severity: 'warning', namespace: 'shop', service: 'checkout', source: 'metrics' } },
        ] },
        { alertname: 'ScrapeTargetDown', eval_time: '3m', exp_alerts: [] },
        { alertname: 'ScrapeTargetDown', eval_time: '6m', exp_alerts: [
          { exp_labels: { severity: 'warning', job: 'kubernetes-pods', instance: '10.0.0.1:8080', namespace: 'shop', pod: 'checkout-1', service: 'checkout' },
            exp_annotations: {
              summary: 'Target 10.0.0.1:8080 of service checkout is down',
              description: 'Prometheus cannot scrape 10.0.0.1:8080 (service checkout, pod shop/checkout-1, job kubernetes-pods): it does not answer, fails, or exposes more samples than the job\'s sample_limit; its metrics are missing until it answers again.',
            } },
        ] },
        { alertname: 'ObsStackComponentDown', eval_time: '6m', exp_alerts: [
          { exp_labels: { severity: 'critical', component: 'loki' } },
          { exp_labels: { severity: 'critical', component: 'grafana' } },
        ] },
        { alertname: 'ObsStackTargetDown', eval_time: '6m', exp_alerts: [
          { exp_labels: { severity: 'warning', job: 'loki', instance: '10.0.1.1:3100', namespace: 'observability', pod: 'loki-0', node: 'n1' } },
        ] },
        { alertname: 'LokiDiscardingLogs', eval_time: '10m', exp_alerts: [
          { exp_labels: { severity: 'warning', component: 'loki', reason: 'rate_limited' } },
        ] },
        { alertname: 'TempoDiscardingSpans', eval_time: '10m', exp_alerts: [] },
        { alertname: 'PrometheusRuleEvaluationFailures', eval_time: '5m', exp_alerts: [
          { exp_labels: { severity: 'warning', component: 'prometheus', rule_group: '/etc/prometheus/rules/x.yaml;g' } },
        ] },
        { alertname: 'PrometheusRuleEvaluationFailures', eval_time: '14m', exp_alerts: [] },
        { alertname: 'PrometheusTsdbNearRetentionSize', eval_time: '10m', exp_alerts: [
          { exp_labels: { severity: 'warning', component: 'prometheus', job: 'prometheus', instance: 'p' } },
        ] },
        { alertname: 'PrometheusNotificationsFailing', eval_time: '4m', exp_alerts: [] }, // not yet for 5m
        { alertname: 'PrometheusNotificationsFailing', eval_time: '10m', exp_alerts: [
          { exp_labels: { severity: 'warning', component: 'prometheus', job: 'prometheus', pod: 'prometheus-0', alertmanager: 'http://am-a:9093/api/v2/alerts' } },
          { exp_labels: { severity: 'warning', component: 'prometheus', job: 'prometheus', pod: 'prometheus-0', alertmanager: 'http://am-b:9093/api/v2/alerts' } },
        ] },
        { alertname: 'PrometheusNotConnectedToAlertmanagers', eval_time: '4m', exp_alerts: [] }, // not yet for 2m
        { alertname: 'PrometheusNotConnectedToAlertmanagers', eval_time: '10m', exp_alerts: [
          { exp_labels: { severity: 'critical', component: 'prometheus', job: 'prometheus', pod: 'prometheus-1' } },
        ] },
        { alertname: 'LogAgentNotShipping', eval_time: '20m', exp_alerts: [
          { exp_labels: { severity: 'critical', component: 'promtail', namespace: 'observability-agents', pod: 'promtail-a', node: 'n1' } },
        ] },
      ],
    }],
  };
}

describe('Prometheus rules', () => {
  it('pass promtool check rules, and promtool test rules with firing and non-firing cases', () => {
    const bin = promtool();
    if (bin === undefined) return;
    const dir = mkdtempSync(join(tmpdir(), 'obs-stack-rules-'));
    try {
      const names = writeRules(dir, renderRuleFilesYaml(input));
      const check = spawnSync(bin, ['check', 'rules', ...names], { cwd: dir, encoding: 'utf8' });
      expect(`${check.stdout}${check.stderr}`).toContain('SUCCESS');
      expect(check.status).toBe(0);
      writeRules(dir, withoutAnnotations(renderRuleFilesYaml(input)));
      writeFileSync(join(dir, 'tests.yaml'), toYaml(unitTests(names)));
      const test = spawnSync(bin, ['test', 'rules', 'tests.yaml'], { cwd: dir, encoding: 'utf8' });
      expect(`${test.stdout}${test.stderr}`).toContain('SUCCESS');
      expect(test.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('promtool test rules fails when an expected alert does not fire (the check can fail)', () => {
    const bin = promtool();
    if (bin === undefined) return;
    const dir = mkdtempSync(join(tmpdir(), 'obs-stack-rules-'));
    try {
      const names = writeRules(dir, withoutAnnotations(renderRuleFilesYaml(withOverrides({ alerts: { thresholds: { errorRatio: 0.9 } } }))));
      writeFileSync(join(dir, 'tests.yaml'), toYaml(unitTests(names)));
      const test = spawnSync(bin, ['test', 'rules', 'tests.yaml'], { cwd: dir, encoding: 'utf8' });
      expect(test.status).not.toBe(0);
      expect(`${test.stdout}${test.stderr}`).toContain('ServiceHighErrorRatio');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('have every expression parse as PromQL', () => {
    const exprs = ruleExpressions(files);
    expect(exprs.length).toBeGreaterThan(20);
    expect(exprs.flatMap((e) => parseErrors('promql', e).map((x) => `${e}: ${x}`))).toEqual([]);
  });

  it('only read metrics the stack produces (metrics catalog)', () => {
    const known = catalogNames();
    const used = new Set(ruleExpressions(files).flatMap((e) => promqlMetricNames(e)));
    expect([...used].filter((n) => !known.has(n))).toEqual([]);
  });

  it('give every alert a severity, a summary and a description naming the service or component', () => {
    for (const a of alerts(files)) {
      expect([a.alert, ['critical', 'warning'].includes(a.labels.severity)]).toEqual([a.alert, true]);
      expect(a.annotations.summary.length).toBeGreaterThan(10);
      expect([a.alert, /[Ss]ervice (\{\{ \$labels\.(service|job) \}\}|[a-z]+)/.test(a.annotations.description)]).toEqual([a.alert, true]);
    }
  });

  it('raise each alert the issue lists', () => {
    expect(new Set(alerts(files).map((a) => a.alert))).toEqual(new Set([
      'ServiceHighErrorRatio', 'ServiceHighLatencyP99', 'ScrapeTargetDown', 'ObsStackComponentDown', 'ObsStackTargetDown',
      'LokiDiscardingLogs', 'TempoDiscardingSpans', 'PrometheusRuleEvaluationFailures', 'PrometheusTsdbNearRetentionSize',
      'LogAgentNotShipping', 'LogAgentDroppingLogs', 'PrometheusNotificationsFailing', 'PrometheusNotConnectedToAlertmanagers',
    ]));
    expect(alerts(files).filter((a) => a.alert === 'ObsStackComponentDown').map((a) => a.labels.component))
      .toEqual(['cadvisor', 'loki', 'tempo', 'grafana', 'promtail']);
  });

  it('watch Alloy instead of Promtail when Alloy ships the logs', () => {
    const alloy = alerts(renderRuleFiles({ overrides: { logAgent: 'alloy' }, jobs: jobs('prometheus', 'loki', 'alloy') }));
    const exprs = alloy.filter((a) => a.alert.startsWith('LogAgent')).map((a) => a.expr).join('\n');
    expect(exprs).toContain('loki_write_sent_entries_total');
    expect(exprs).not.toContain('promtail_');
  });

  it('take thresholds and durations from the environment', () => {
    const dev = load(ruleFilesFor(resolveEnvironment({ name: 'd', profile: 'dev' }).config, [{ job: 'prometheus', title: 'Prometheus' }])[RULE_FILE_NAMES.alerts]) as RuleFile;
    const prod = load(ruleFilesFor(resolveEnvironment({ name: 'p', profile: 'prod' }).config, [{ job: 'prometheus', title: 'Prometheus' }])[RULE_FILE_NAMES.alerts]) as RuleFile;
    const err = (f: RuleFile) => alerts({ f }).find((a) => a.alert === 'ServiceHighErrorRatio')!;
    expect([err(dev).for, err(dev).expr]).toEqual(['5m', expect.stringContaining('> 0.05')]);
    expect([err(prod).for, err(prod).expr]).toEqual(['10m', expect.stringContaining('> 0.02')]);
  });

  it('keep the namespace on the RED series of both sources, so the dashboard namespace filter keeps trace-only services', () => {
    for (const rule of redRecordingRules().rules) {
      if ('record' in rule && /^sum by \(/.test(rule.expr)) expect(rule.expr).toMatch(/^sum by \(namespace, service, /);
    }
  });

  it('watch alert delivery only when Prometheus sends to Alertmanagers (in the stack or alerts.alertmanagers)', () => {
    const delivery = ['PrometheusNotificationsFailing', 'PrometheusNotConnectedToAlertmanagers'];
    const watched = (f: Record<string, RuleFile>) => alerts(f).map((a) => a.alert).filter((a) => delivery.includes(a));
    expect(watched(renderRuleFiles(withOverrides({ alertmanager: { enabled: false } })))).toEqual([]);
    const parse = (r: Record<string, string>) => ({ f: load(r[RULE_FILE_NAMES.alerts]) as RuleFile });
    // No Alertmanager at all: the in-stack one off, none of the user's.
    const base = resolveEnvironment({ name: 'd', profile: 'dev', overrides: { alertmanager: { enabled: false } } }).config;
    expect(watched(parse(ruleFilesFor(base, [{ job: 'prometheus', title: 'Prometheus' }])))).toEqual([]);
    // The in-stack Alertmanager is watched like one the user runs.
    expect(watched(parse(ruleFilesFor(resolveEnvironment({ name: 'd', profile: 'dev' }).config, [{ job: 'prometheus', title: 'Prometheus' }])))).toEqual(delivery);
    const withAm = { ...base, alerts: { ...base.alerts, alertmanagers: [{ url: 'http://alertmanager.monitoring.svc:9093' }] } };
    const rules = alerts(parse(ruleFilesFor(withAm, [{ job: 'prometheus', title: 'Prometheus' }]))).filter((a) => delivery.includes(a.alert));
    expect(rules.map((a) => [a.alert, a.labels.severity, a.for])).toEqual([
      ['PrometheusNotificationsFailing', 'warning', base.alerts.thresholds.for],
      ['PrometheusNotConnectedToAlertmanagers', 'critical', base.alerts.thresholds.downFor],
    ]);
    // A failure share, bounded to [0, 1]: errors over every attempt, not over the accepted ones only.
    expect(rules[0].expr).toBe('rate(prometheus_notifications_errors_total[5m]) / (rate(prometheus_notifications_errors_total[5m]) + rate(prometheus_notifications_sent_total[5m])) > 0.01');
    expect(rules[1].expr).toBe('prometheus_notifications_alertmanagers_discovered < 1');
  });

  it('keep the recording rules but drop the alerts when alerts are disabled', () => {
    expect(Object.keys(renderRuleFiles(withOverrides({ alerts: { enabled: false } })))).toEqual([RULE_FILE_NAMES.red]);
  });

  it('are mounted into Prometheus through the rules ConfigMap', () => {
    const objects = objectsOf(buildEnv('dev'));
    const red = configMapYaml<RuleFile>(objects, 'prometheus-rules', RULE_FILE_NAMES.red);
    expect(red.groups[0].rules.length).toBe(12);
    const alertFile = configMapYaml<RuleFile>(objects, 'prometheus-rules', RULE_FILE_NAMES.alerts);
    // Only components Prometheus actually scrapes get a "down" alert.
    const down = alerts({ alertFile }).filter((a) => a.alert === 'ObsStackComponentDown').map((a) => a.labels.component);
    expect(down).not.toContain('prometheus');
    expect(down.length).toBeGreaterThanOrEqual(1);
  });
});
