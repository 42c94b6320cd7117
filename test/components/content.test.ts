/**
 * The dashboards every component contributes, gathered from the registry: each checked as a Grafana
 * dashboard (ids, legends, grid, datasources), every query parsed and read against the metrics catalog.
 */
import { dashboardsFor, stackJobs } from '../../src/components/content';
import { REGISTRY } from '../../src/components/registry';
import { buildEnv } from '../support/synth';
import { isClusterTarget } from '../../src/lib/scrape';
import { resolveEnvironment } from '../../src/config/resolve';
import type { StackOverrides } from '../../src/config/types';
import { DASHBOARD_FILES, DASHBOARD_UIDS, DS } from '../../src/lib/dashboards';
import { catalogNames } from '../../src/lib/metrics-catalog';
import { gridProblems } from '../support/checks/grafana';
import { labelValuesSelector, parseErrors, promqlMetricNames, substituteGrafanaVariables, type QueryLanguage } from '../support/queries';

const ALL_JOBS = ['prometheus', 'cadvisor', 'loki', 'tempo', 'grafana', 'alloy'] as const;
/** Every component and cluster source on (the dev defaults), Alloy, a privileged cAdvisor, slow traces above 0.5 s. */
const base: StackOverrides = { logAgent: 'alloy', cadvisor: { enabled: true, privileged: true }, alerts: { thresholds: { latencyP99Seconds: 0.5 } } };
type Json = any;
/** The dashboards as shipped: the JSON text parsed back. */
const render = (overrides: StackOverrides = base): Record<string, string> =>
  dashboardsFor(resolveEnvironment({ name: 't', profile: 'dev', overrides }).config, ALL_JOBS.map((job) => ({ job, title: job })));
const parsed = (overrides: StackOverrides = base): Record<string, Json> =>
  Object.fromEntries(Object.entries(render(overrides)).map(([f, t]) => [f, JSON.parse(t)]));
const dashboards = parsed();
/** The stack's own three dashboards (the cluster's are checked in test/components/kubernetes/dashboards.test.ts). */
const stack: Record<string, Json> = Object.fromEntries(Object.values(DASHBOARD_FILES).map((f) => [f, dashboards[f]]));

function panelsOf(d: Json): Json[] {
  return (d.panels ?? []).flatMap((p: Json) => [p, ...(p.panels ?? [])]);
}

interface Query { file: string; panel: string; language: QueryLanguage; text: string }

/** Every query of every dashboard, with the language its datasource speaks. */
function queriesOf(all: Record<string, Json>): Query[] {
  const out: Query[] = [];
  for (const [file, d] of Object.entries(all)) {
    for (const p of panelsOf(d)) {
      for (const t of p.targets ?? []) {
        const ds = t.datasource?.uid ?? p.datasource?.uid;
        if (ds === DS.metrics.uid) out.push({ file, panel: p.title, language: 'promql', text: t.expr });
        else if (ds === DS.logs.uid) out.push({ file, panel: p.title, language: 'logql', text: t.expr });
        else if (ds === DS.traces.uid) out.push({ file, panel: p.title, language: 'traceql', text: t.query });
        else throw new Error(`${file} panel ${p.title}: query without a known datasource`);
      }
    }
    for (const v of d.templating?.list ?? []) {
      if (v.type !== 'query') continue;
      if (v.datasource.uid === DS.metrics.uid) {
        const sel = labelValuesSelector(v.query);
        if (sel === undefined) throw new Error(`${file} variable ${v.name}: not a label_values query`);
        out.push({ file, panel: `variable ${v.name}`, language: 'promql', text: sel });
      } else if (v.datasource.uid === DS.logs.uid) {
        out.push({ file, panel: `variable ${v.name}`, language: 'logql', text: v.query.stream });
      }
    }
  }
  return out;
}

describe('dashboards', () => {
  it('are deterministic', () => {
    expect(render()).toEqual(render());
  });

  it('have the stable UIDs, the stack tag and distinct titles', () => {
    expect(Object.keys(dashboards)).toEqual(expect.arrayContaining(Object.values(DASHBOARD_FILES)));
    expect(Object.values(stack).map((d) => d.uid).sort()).toEqual(Object.values(DASHBOARD_UIDS).sort());
    expect(new Set(Object.values(dashboards).map((d) => d.title)).size).toBe(Object.keys(dashboards).length);
    expect(new Set(Object.values(dashboards).map((d) => d.uid)).size).toBe(Object.keys(dashboards).length);
    for (const d of Object.values(dashboards)) expect(d.tags).toContain('obs-stack');
  });

  it('give every panel a unique id and every query a unique refId', () => {
    for (const d of Object.values(dashboards)) {
      const ids = panelsOf(d).map((p) => p.id);
      expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of panelsOf(d)) {
        const refs = (p.targets ?? []).map((t: Json) => t.refId);
        expect(refs.every((r: unknown) => typeof r === 'string' && r !== '')).toBe(true);
        expect(new Set(refs).size).toBe(refs.length);
      }
    }
  });

  it('show the legend of every time series panel', () => {
    for (const d of Object.values(dashboards)) {
      for (const p of panelsOf(d).filter((x) => x.type === 'timeseries')) {
        expect([p.title, p.options?.legend?.showLegend, p.options?.legend?.displayMode]).toEqual([p.title, true, 'list']);
      }
    }
  });

  it('lay panels inside the 24-column grid without overlaps', () => {
    for (const d of Object.values(dashboards)) expect(gridProblems(d)).toEqual([]);
  });

  it('only use the provisioned datasources', () => {
    const uids = new Set<string>(Object.values(DS).map((d) => d.uid));
    for (const d of Object.values(dashboards)) {
      for (const p of panelsOf(d)) {
        if (p.datasource) expect(uids.has(p.datasource.uid)).toBe(true);
        for (const t of p.targets ?? []) expect(uids.has(t.datasource.uid)).toBe(true);
      }
    }
  });

  it('have every PromQL, LogQL and TraceQL query parse without errors', () => {
    const queries = queriesOf(dashboards);
    expect(queries.length).toBeGreaterThan(40);
    expect(new Set(queries.map((q) => q.language))).toEqual(new Set(['promql', 'logql', 'traceql']));
    const failures = queries.flatMap((q) => parseErrors(q.language, substituteGrafanaVariables(q.text)).map((e) => `${q.file} / ${q.panel}: ${e}`));
    expect(failures).toEqual([]);
  });

  it('would catch a broken query (the check can fail)', () => {
    const broken = parsed();
    const panel = panelsOf(broken[DASHBOARD_FILES.services]).find((p) => p.type === 'logs');
    panel.targets[0].expr = '{service="$service"';
    const failures = queriesOf(broken).flatMap((q) => parseErrors(q.language, substituteGrafanaVariables(q.text)));
    expect(failures.length).toBeGreaterThan(0);
  });

  it('only read metrics the stack produces (metrics catalog)', () => {
    const known = catalogNames();
    const used = new Set(queriesOf(dashboards).filter((q) => q.language === 'promql').flatMap((q) => promqlMetricNames(substituteGrafanaVariables(q.text))));
    expect(used.size).toBeGreaterThan(30);
    expect([...used].filter((n) => !known.has(n))).toEqual([]);
  });

  it('show exemplars on the latency panel, for own HTTP and messaging metrics and for span metrics', () => {
    const latency = panelsOf(dashboards[DASHBOARD_FILES.services]).find((p) => p.title.startsWith('Latency'));
    expect(latency.targets.every((t: Json) => t.exemplar === true)).toBe(true);
    expect(latency.targets.map((t: Json) => t.expr).join(' ')).toMatch(/http_request_duration_seconds_bucket.*messaging_process_duration_seconds_bucket.*traces_spanmetrics_latency_bucket/);
  });

  it('show a consumer like any other service: its messages in the RED panels, its sends and lag in the messaging row', () => {
    const services = panelsOf(dashboards[DASHBOARD_FILES.services]);
    const exprs = (title: string) => services.find((p) => p.title === title).targets.map((t: Json) => t.expr).join('\n');
    expect(exprs('Requests per second by route')).toContain('messaging_client_consumed_messages_total{service="$service"');
    expect(exprs('Requests per second by route')).toContain('span_kind=~"SPAN_KIND_SERVER|SPAN_KIND_CONSUMER"');
    expect(exprs('Messages per second')).toMatch(/messaging_client_sent_messages_total[\s\S]*messaging_client_consumed_messages_total/);
    expect(exprs('Consumer lag')).toContain('max by (messaging_consumer_group_name, messaging_destination_name, messaging_destination_partition_id) (messaging_kafka_consumer_lag{service="$service"');
  });

  it('split the error ratio into 4xx and 5xx and show logs and traces of the selected service', () => {
    const services = panelsOf(dashboards[DASHBOARD_FILES.services]);
    expect(services.find((p) => p.title === 'Error ratio by class').targets[0].expr).toContain('service_class:red_error_ratio:rate5m');
    const logs = services.find((p) => p.type === 'logs');
    expect(logs.targets[0].expr).toContain('service="$service"');
    const traceTables = services.filter((p) => p.type === 'table' && p.datasource.uid === DS.traces.uid);
    expect(traceTables.map((p) => p.targets[0].query)).toEqual([
      // Server spans, and consumer spans for a service that processes messages (the Kafka worker).
      '{ resource.service.name = "$service" && (kind = server || kind = consumer) && duration > 500ms }',
      '{ resource.service.name = "$service" && status = error }',
    ]);
    // No panel pins its own time range: everything follows the dashboard's.
    for (const p of services) expect(p.timeFrom).toBeUndefined();
  });

  it('link between each other, and from the service row to the containers of the service', () => {
    const uids = new Set<string>(Object.values(DASHBOARD_UIDS));
    for (const d of Object.values(stack)) {
      const targets = d.links.filter((l: Json) => l.type === 'link').map((l: Json) => /^\/d\/([^?]+)/.exec(l.url)?.[1]);
      expect(targets.every((u: string | undefined) => u !== undefined && uids.has(u) && u !== d.uid)).toBe(true);
      expect(targets.length).toBe(2);
    }
    const serviceRow = panelsOf(dashboards[DASHBOARD_FILES.services]).filter((p) => p.type === 'timeseries' && /route|class|Latency/.test(p.title));
    expect(serviceRow).toHaveLength(3);
    for (const p of serviceRow) expect(p.links[0].url).toMatch(new RegExp(`^/d/${DASHBOARD_UIDS.containers}\\?var-namespace=\\$\\{namespace\\}&var-pod=\\$\\{pod:regex\\}`));
  });

  it('name the variables the issue asks for', () => {
    const names = (file: string) => dashboards[file].templating.list.map((v: Json) => v.name);
    expect(names(DASHBOARD_FILES.services)).toEqual(expect.arrayContaining(['namespace', 'service']));
    expect(names(DASHBOARD_FILES.containers)).toEqual(['namespace', 'pod', 'container']);
  });

  it('watch the configured log agent on the stack health dashboard', () => {
    const health = (agent: 'promtail' | 'alloy') => render({ ...base, logAgent: agent })[DASHBOARD_FILES.stackHealth];
    expect(health('alloy')).toContain('loki_write_sent_entries_total{job=\\"alloy\\"}');
    expect(health('promtail')).toContain('promtail_sent_entries_total{job=\\"promtail\\"}');
    expect(health('promtail')).not.toContain('loki_write_sent_entries_total');
  });
});

describe('Containers dashboard and cAdvisor', () => {
  const targetsOf = (privileged: boolean): string[] => {
    const d = parsed({ ...base, cadvisor: { enabled: true, privileged } })[DASHBOARD_FILES.containers];
    return d.panels.flatMap((p: Json) => (p.targets ?? []).map((t: Json) => t.expr as string));
  };

  test('queries OOM kills only when cAdvisor exports them (privileged)', () => {
    expect(targetsOf(true).some((e) => e.includes('container_oom_events_total'))).toBe(true);
    expect(targetsOf(false).some((e) => e.includes('container_oom_events_total'))).toBe(false);
  });
});

describe('stackJobs', () => {
  test('each component\'s own job first (the scraper\'s), then every collected component target in order, no cluster target', () => {
    const build = buildEnv('dev');
    const jobs = stackJobs(build.env.config, build.scrapeTargets).map((j) => j.job);
    expect(jobs[0]).toBe(REGISTRY.find((c) => c.ownJob !== undefined)!.ownJob!.job);
    const componentTargets = build.scrapeTargets.filter((t) => !isClusterTarget(t)) as Array<{ readonly job: string }>;
    expect(componentTargets.length).toBeGreaterThan(3);
    expect(jobs.slice(1)).toEqual(componentTargets.map((t) => t.job));
  });

  test('a disabled component\'s own job is left out', () => {
    const build = buildEnv('dev');
    const owner = REGISTRY.find((c) => c.ownJob !== undefined)!;
    const off = { ...owner, enabled: () => false };
    const registry = REGISTRY.map((c) => (c === owner ? off : c));
    expect(stackJobs(build.env.config, build.scrapeTargets, registry).map((j) => j.job)).not.toContain(owner.ownJob!.job);
  });
});
