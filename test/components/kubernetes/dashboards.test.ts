import { dashboardsFor } from '../../../src/components/content';
import { CLUSTER_DASHBOARD_FILES, CLUSTER_DASHBOARD_UIDS, renderClusterDashboards } from '../../../src/components/kubernetes/dashboards';
import { resolveEnvironment } from '../../../src/config/resolve';
import type { StackOverrides } from '../../../src/config/types';
import { DASHBOARD_FILES, DS } from '../../../src/lib/dashboards';
import { catalogNames, enabledMetricSources, knownLabels, type MetricSource } from '../../../src/lib/metrics-catalog';
import { gridProblems } from '../../support/checks/grafana';
import { labelValuesSelector, parseErrors, promqlMetricNames, promqlSelectorMatchers, substituteGrafanaVariables } from '../../support/queries';

type Json = any;

const CLUSTER_SOURCES: MetricSource[] = ['node-exporter', 'kube-state-metrics', 'kubelet', 'kubelet-cadvisor', 'kubelet-probes', 'apiserver', 'coredns'];
const ALL = new Set<MetricSource>(['scrape', 'prometheus', 'recording-rule', ...CLUSTER_SOURCES]);
const render = (sources: ReadonlySet<MetricSource>): Record<string, Json> => Object.fromEntries(Object.entries(renderClusterDashboards({ sources }))
  .map(([f, t]) => [f, JSON.parse(t)]));
const panelsOf = (d: Json): Json[] => (d.panels ?? []).flatMap((p: Json) => [p, ...(p.panels ?? [])]);

/** Every PromQL query of the dashboards: targets and label_values variables. */
function promQueries(all: Record<string, Json>): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  for (const [file, d] of Object.entries(all)) {
    for (const p of panelsOf(d)) for (const t of p.targets ?? []) {
      expect(t.datasource.uid).toBe(DS.metrics.uid);
      out.push({ where: `${file} / ${p.title}`, text: substituteGrafanaVariables(t.expr) });
    }
    for (const v of d.templating?.list ?? []) {
      const sel = labelValuesSelector(v.query);
      if (sel !== undefined) out.push({ where: `${file} / variable ${v.name}`, text: substituteGrafanaVariables(sel) });
    }
  }
  return out;
}

const dashboards = render(ALL);

describe('cluster dashboards', () => {
  it('render the five dashboards with stable UIDs, distinct titles and the stack tag', () => {
    expect(Object.keys(dashboards).sort()).toEqual(Object.values(CLUSTER_DASHBOARD_FILES).sort());
    expect(Object.values(dashboards).map((d) => d.uid).sort()).toEqual(Object.values(CLUSTER_DASHBOARD_UIDS).sort());
    expect(new Set(Object.values(dashboards).map((d) => d.title)).size).toBe(5);
    for (const d of Object.values(dashboards)) expect(d.tags).toContain('obs-stack');
  });

  it('each have the cluster variable, and every selector of every query carries it', () => {
    for (const d of Object.values(dashboards)) {
      const cluster = d.templating.list.find((v: Json) => v.name === 'cluster');
      expect([d.title, cluster?.query, cluster?.includeAll, cluster?.allValue]).toEqual([d.title, 'label_values(up, cluster)', true, '.*']);
    }
    const missing = promQueries(dashboards).flatMap((q) => promqlSelectorMatchers(q.text)
      .filter((m) => !m.labels.includes('cluster') && !q.where.endsWith('variable cluster')).map((m) => `${q.where}: ${m.metric}`));
    expect(missing).toEqual([]);
  });

  it('parse, and read only metrics and labels the catalog records for the enabled sources', () => {
    const queries = promQueries(dashboards);
    expect(queries.length).toBeGreaterThan(60);
    expect(queries.flatMap((q) => parseErrors('promql', q.text).map((e) => `${q.where}: ${e}`))).toEqual([]);
    const known = catalogNames(ALL);
    expect(queries.flatMap((q) => promqlMetricNames(q.text).filter((n) => !known.has(n)).map((n) => `${q.where}: ${n}`))).toEqual([]);
    const wrong = queries.flatMap((q) => promqlSelectorMatchers(q.text).flatMap(({ metric, labels }) => {
      const allowed = knownLabels(metric, ALL);
      return allowed === undefined ? [] : labels.filter((l) => !allowed.has(l)).map((l) => `${q.where}: ${metric}{${l}}`);
    }));
    expect(wrong).toEqual([]);
  });

  it.each(CLUSTER_SOURCES)('without %s: no panel reads what it exports, and the dashboards it alone feeds are gone', (source) => {
    const without = new Set([...ALL].filter((s) => s !== source));
    const rendered = render(without);
    const known = catalogNames(without);
    expect(promQueries(rendered).flatMap((q) => promqlMetricNames(q.text).filter((n) => !known.has(n)).map((n) => `${q.where}: ${n}`))).toEqual([]);
    if (source === 'node-exporter') expect(Object.keys(rendered)).not.toContain(CLUSTER_DASHBOARD_FILES.nodes);
    if (source === 'kube-state-metrics') expect(Object.keys(rendered)).not.toContain(CLUSTER_DASHBOARD_FILES.workloads);
  });

  it('are not rendered at all without their sources, and link only to the ones that are', () => {
    expect(render(new Set(['scrape', 'prometheus', 'recording-rule']))).toEqual({});
    const onlyNodes = render(new Set(['scrape', 'node-exporter']));
    expect(Object.keys(onlyNodes).sort()).toEqual([CLUSTER_DASHBOARD_FILES.nodes, CLUSTER_DASHBOARD_FILES.overview].sort());
    for (const d of Object.values(onlyNodes)) {
      const targets = d.links.filter((l: Json) => l.type === 'link').map((l: Json) => l.url.replace('/d/', ''));
      expect(targets).toEqual(Object.values(onlyNodes).map((x) => x.uid).filter((u) => u !== d.uid));
    }
  });

  it('lay panels inside the 24-column grid without overlaps, with visible legends', () => {
    for (const d of Object.values(dashboards)) {
      expect(gridProblems(d)).toEqual([]);
      for (const p of d.panels) if (p.type === 'timeseries') expect([p.title, p.options.legend.showLegend]).toEqual([p.title, true]);
    }
  });

  it('drill down namespace -> workload -> pod on the Workloads dashboard', () => {
    const vars = dashboards[CLUSTER_DASHBOARD_FILES.workloads].templating.list;
    expect(vars.map((v: Json) => v.name)).toEqual(['cluster', 'namespace', 'workload', 'pod']);
    expect(vars[2].query).toContain('namespace=~"$namespace"');
    expect(vars[3].query).toContain('workload=~"$workload"');
    // Per-pod panels keep only the pods of the chosen workloads.
    const cpu = panelsOf(dashboards[CLUSTER_DASHBOARD_FILES.workloads]).find((p) => p.title === 'CPU by pod');
    expect(cpu.targets[0].expr).toContain('namespace_workload_pod:kube_pod_owner:relabel');
  });

  it('read container usage only from the kubelets\' cAdvisor, never the cAdvisor DaemonSet', () => {
    const containerSelectors = promQueries(dashboards).flatMap((q) => promqlSelectorMatchers(q.text).filter((m) => m.metric.startsWith('container_')));
    expect(containerSelectors.length).toBeGreaterThan(0);
    for (const q of promQueries(dashboards)) {
      for (const m of q.text.matchAll(/(?<![\w:])(container_[a-z_]+)\{([^}]*)\}/g)) expect([q.where, m[1], m[2].includes('job="kubelet-cadvisor"')]).toEqual([q.where, m[1], true]);
    }
  });
});

describe('Containers dashboard and the two cAdvisors', () => {
  const containers = (overrides: StackOverrides): Json => JSON.parse(dashboardsFor(resolveEnvironment({ name: 'd', profile: 'dev', overrides }).config, [{ job: 'prometheus', title: 'Prometheus' }])[DASHBOARD_FILES.containers]);
  const exprs = (d: Json): string[] => [...panelsOf(d).flatMap((p) => (p.targets ?? []).map((t: Json) => t.expr)), ...d.templating.list.map((v: Json) => v.query)];

  it('selects one source with its job label: the DaemonSet while it runs, else the kubelets\'', () => {
    for (const [overrides, job] of [[{}, 'cadvisor'], [{ cadvisor: { enabled: false } }, 'kubelet-cadvisor']] as const) {
      for (const e of exprs(containers(overrides))) {
        for (const m of promqlSelectorMatchers(substituteGrafanaVariables(e))) {
          if (m.metric.startsWith('container_')) expect(substituteGrafanaVariables(e)).toContain(`job="${job}"`);
        }
      }
    }
  });

  it('replaces the empty "Filesystem usage" panel with the kubelet\'s log file sizes, which exist on containerd', () => {
    const titles = (d: Json) => panelsOf(d).map((p) => p.title);
    const on = containers({});
    expect(titles(on)).toContain('Log files on disk');
    expect(titles(on)).not.toContain('Filesystem usage');
    expect(exprs(on).join('\n')).toContain('kubelet_container_log_filesystem_used_bytes{job="kubelet"');
    // Filesystem usage only for the nodes' root cgroup: cAdvisor reports none per container on containerd.
    for (const e of exprs(on).filter((x) => x.includes('container_fs_usage_bytes'))) expect(e).toContain('id="/"');
    // Without the kubelet's /metrics there is no source of the figure on containerd: no panel.
    expect(titles(containers({ kubernetes: { kubelet: { metrics: false } } }))).not.toContain('Log files on disk');
  });

  it('shows OOM kills from the kubelets\' cAdvisor, which reads them itself', () => {
    expect(exprs(containers({ cadvisor: { enabled: false } })).join('\n')).toContain('container_oom_events_total');
    expect(exprs(containers({})).join('\n')).not.toContain('container_oom_events_total');
  });

  it('are enabled by the config: dashboardsFor renders the cluster dashboards of the enabled sources', () => {
    const cfg = resolveEnvironment({ name: 'd', profile: 'dev' }).config;
    expect(Object.keys(dashboardsFor(cfg, [{ job: 'prometheus', title: 'Prometheus' }]))).toEqual(expect.arrayContaining(Object.values(CLUSTER_DASHBOARD_FILES)));
    expect(enabledMetricSources(cfg).has('kube-state-metrics')).toBe(true);
  });
});
