import { dump, load } from 'js-yaml';
import { checkMetricNames, checkMetricScopes, checkQueries, extractQueries, formatProblems, panelsOf } from '../support/checks';
import type { KubeObject } from '../support/synth';
import { CONFIG_LABELS, configNamed } from './configs';
import { brokenObjects } from './helpers';


/** A copy of the maximal output with `mutate` applied to one parsed ConfigMap file (JSON or YAML). */
function brokenFile(name: string, key: string, mutate: (doc: any) => void): KubeObject[] {
  return brokenObjects('ConfigMap', name, (cm) => {
    const json = key.endsWith('.json');
    const doc: any = json ? JSON.parse(cm.data![key]) : load(cm.data![key]);
    mutate(doc);
    cm.data![key] = json ? JSON.stringify(doc) : dump(doc);
  });
}

const RED = 'grafana-dashboard-services-red';
const RED_FILE = 'services-red.json';
const panelOfType = (doc: any, type: string) => panelsOf(doc).find((p) => p.panel.type === type)!.panel;
const messages = (objects: KubeObject[]) => checkQueries(objects).map((p) => `${p.path}: ${p.message}`);
/** The check found the broken query, and only it (a query can hold several parse errors). */
function expectOnly(problems: string[], pattern: RegExp): void {
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) expect(p).toMatch(pattern);
}

describe('queries in the output', () => {
  it.each(CONFIG_LABELS)('%s: every PromQL, LogQL and TraceQL query parses', (label) => {
    expect(formatProblems(checkQueries(configNamed(label).objects))).toBe('');
  });

  it.each(CONFIG_LABELS)('%s: every metric a PromQL query reads is in the metrics catalog', (label) => {
    expect(formatProblems(checkMetricNames(configNamed(label).objects))).toBe('');
  });

  it.each(CONFIG_LABELS)('%s: every query of a metric that exists only for some series selects those (catalog onlyWith)', (label) => {
    expect(formatProblems(checkMetricScopes(configNamed(label).objects))).toBe('');
  });

  it('fails on a per-container filesystem usage query (cAdvisor reports none for containerd containers)', () => {
    const objects = brokenFile('grafana-dashboard-containers', 'containers.json', (doc) => {
      const panel = panelsOf(doc).find((p) => /disk usage/i.test(p.panel.title ?? ''))!.panel;
      panel.targets[0].expr = 'sum by (namespace, pod, container) (container_fs_usage_bytes{container!=""})';
    });
    expect(checkMetricScopes(objects).map((p) => p.message)).toEqual([
      'container_fs_usage_bytes exists only with id="/" (src/lib/metrics-catalog.ts), but the query selects {container!=""}',
    ]);
  });

  it('finds the queries of every source and language in the maximal output', () => {
    const found = extractQueries(configNamed('verify-maximal').objects);
    const where = (object: string, path: RegExp, language: string) => found.filter((q) => q.object === object && path.test(q.path) && q.language === language).length;
    expect(where('ConfigMap observability/prometheus-rules', /#\/groups\/\d+\/rules\/\d+\/expr$/, 'promql')).toBeGreaterThan(10);
    expect(where(`ConfigMap observability/${RED}`, /\/targets\/\d+\/expr$/, 'promql')).toBeGreaterThan(5);
    expect(where(`ConfigMap observability/${RED}`, /\/targets\/\d+\/expr$/, 'logql')).toBeGreaterThan(0);
    expect(where(`ConfigMap observability/${RED}`, /\/targets\/\d+\/query$/, 'traceql')).toBeGreaterThan(0);
    expect(where(`ConfigMap observability/${RED}`, /\/templating\/list\/\d+\/query$/, 'promql')).toBeGreaterThan(0);
    expect(where(`ConfigMap observability/${RED}`, /\/templating\/list\/\d+\/query$/, 'logql')).toBeGreaterThan(0);
    expect(where('ConfigMap observability/grafana', /tracesToMetrics\/queries\/\d+\/query$/, 'promql')).toBeGreaterThan(0);
    expect(new Set(found.filter((q) => q.object.startsWith('ConfigMap observability/grafana-dashboard-')).map((q) => q.object)).size).toBeGreaterThanOrEqual(3);
  });

  it('fails on a broken rule expression', () => {
    const problems = checkQueries(brokenFile('prometheus-rules', 'red.rules.yaml', (doc) => { doc.groups[0].rules[0].expr = 'sum(rate(http_requests_total[5m])'; }));
    expect(problems).toEqual([expect.objectContaining({ object: 'ConfigMap observability/prometheus-rules', path: '/data/red.rules.yaml#/groups/0/rules/0/expr', message: expect.stringContaining('promql error') })]);
  });

  it('fails on a broken dashboard LogQL query', () => {
    const problems = messages(brokenFile(RED, RED_FILE, (doc) => { panelOfType(doc, 'logs').targets[0].expr = '{service="$service"'; }));
    expectOnly(problems, /targets\/0\/expr: logql error/);
  });

  it('fails on a broken TraceQL query', () => {
    const problems = messages(brokenFile(RED, RED_FILE, (doc) => { panelOfType(doc, 'table').targets[0].query = '{ resource.service.name = }'; }));
    expectOnly(problems, /targets\/0\/query: traceql error/);
  });

  it('fails on a broken variable selector and a broken trace-to-metrics query', () => {
    const dashboard = messages(brokenFile(RED, RED_FILE, (doc) => { doc.templating.list[1].query = 'label_values(service:red_requests:rate5m{namespace=~"$namespace", service)'; }));
    expectOnly(dashboard, /templating\/list\/1\/query: promql error/);
    const datasources = messages(brokenFile('grafana', 'datasources.yaml', (doc) => {
      doc.datasources.find((d: any) => d.type === 'tempo').jsonData.tracesToMetrics.queries[0].query = 'sum by (span_name) (rate(traces_spanmetrics_calls_total{$$__tags}[5m]';
    }));
    expectOnly(datasources, /tracesToMetrics\/queries\/0\/query: promql error/);
  });

  it('takes the language from the datasource uid: LogQL sent to Prometheus fails, a panel inside a row is found', () => {
    const wrongDs = messages(brokenFile(RED, RED_FILE, (doc) => { panelOfType(doc, 'logs').targets[0].datasource = { uid: 'prometheus' }; }));
    expectOnly(wrongDs, /targets\/0\/expr: promql error/);
    const nested = messages(brokenFile(RED, RED_FILE, (doc) => {
      doc.panels.push({ type: 'row', collapsed: true, panels: [{ type: 'timeseries', datasource: { uid: 'loki' }, targets: [{ expr: 'count_over_time({a="b"}' }] }] });
    }));
    expectOnly(nested, /\/panels\/\d+\/panels\/0\/targets\/0\/expr: logql error/);
  });

  it('fails when no datasource tells a query its language', () => {
    const problems = messages(brokenFile(RED, RED_FILE, (doc) => { panelOfType(doc, 'logs').targets[0].datasource = { uid: 'elastic' }; delete panelOfType(doc, 'logs').datasource; }));
    expectOnly(problems, /targets\/0\/expr: no provisioned datasource/);
  });

  it('fails when a PromQL query reads a metric missing from the catalog', () => {
    const problems = checkMetricNames(brokenFile('prometheus-rules', 'alerts.rules.yaml', (doc) => { doc.groups[0].rules[0].expr = 'rate(made_up_requests_total[5m]) > 0'; }));
    expect(problems).toEqual([expect.objectContaining({ path: '/data/alerts.rules.yaml#/groups/0/rules/0/expr', message: expect.stringContaining('made_up_requests_total is not in the metrics catalog') })]);
  });
});
