import { resolveEnvironment } from '../../src/config/resolve';
import { CLUSTER_RECORDED } from '../../src/components/kubernetes/recorded-series';
import { RECORDED } from '../../src/components/prometheus/recorded-series';
import { catalogNames, enabledMetricSources, knownLabels, metricsCatalog, sourceMetricNames, sourceTargetLabels, type MetricSource } from '../../src/lib/metrics-catalog';
import { APP_METRICS } from '../../src/lib/signals';

const METRICS_CATALOG = metricsCatalog();

const CLUSTER_SOURCES: MetricSource[] = ['node-exporter', 'kube-state-metrics', 'kubelet', 'kubelet-cadvisor', 'kubelet-probes', 'apiserver', 'coredns'];

describe('metrics catalog', () => {
  it('lists each metric once per source, with a valid Prometheus metric name', () => {
    const keys = METRICS_CATALOG.map((m) => `${m.source} ${m.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of METRICS_CATALOG) expect(m.name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
  });

  it('expands histograms to their bucket, sum and count series', () => {
    const known = catalogNames();
    expect(known.has(`${APP_METRICS.requestDuration}_bucket`)).toBe(true);
    expect(known.has(APP_METRICS.requestDuration)).toBe(false);
    expect(known.has('traces_spanmetrics_latency_count')).toBe(true);
  });

  it('covers every source the stack has, and every recorded series', () => {
    expect(new Set(METRICS_CATALOG.map((m) => m.source))).toEqual(new Set([
      'scrape', 'prometheus', 'cadvisor', 'loki', 'tempo', 'grafana', 'promtail', 'alloy', 'span-metrics', 'service-graph', 'app', 'recording-rule',
      ...CLUSTER_SOURCES,
    ]));
    for (const r of [...Object.values(RECORDED), ...Object.values(CLUSTER_RECORDED)]) expect(catalogNames().has(r)).toBe(true);
  });

  it('records the labels of every cluster metric and which sources each cluster recording reads', () => {
    const missing = METRICS_CATALOG.filter((m) => CLUSTER_SOURCES.includes(m.source) && m.labels === undefined).map((m) => m.name);
    expect(missing).toEqual([]);
    for (const r of Object.values(CLUSTER_RECORDED)) {
      const e = METRICS_CATALOG.find((m) => m.name === r)!;
      expect([r, e.labels !== undefined && (e.requires ?? []).length > 0]).toEqual([r, true]);
    }
    for (const s of CLUSTER_SOURCES) expect([s, sourceTargetLabels().has(s)]).toEqual([s, true]);
  });

  it('gives each cluster source a keep-list of exactly its own series', () => {
    for (const s of CLUSTER_SOURCES) expect([s, sourceMetricNames(s).length > 0]).toEqual([s, true]);
    expect(sourceMetricNames('apiserver')).toContain('apiserver_request_total');
    expect(sourceMetricNames('apiserver')).not.toContain('apiserver_request_duration_seconds_bucket');
    expect(sourceMetricNames('kubelet')).toContain('kubelet_pleg_relist_duration_seconds_bucket');
    expect(sourceMetricNames('kubelet-cadvisor')).toContain('container_cpu_usage_seconds_total');
    expect(sourceMetricNames('kubelet-cadvisor')).not.toContain('node_cpu_seconds_total');
  });

  it('allows only the names the enabled sources produce, recorded series included', () => {
    const all = new Set<MetricSource>(['scrape', 'prometheus', 'recording-rule', ...CLUSTER_SOURCES]);
    expect(catalogNames(all).has('kube_pod_info')).toBe(true);
    expect(catalogNames(all).has(CLUSTER_RECORDED.workloadPod)).toBe(true);
    const noKsm = new Set([...all].filter((s) => s !== 'kube-state-metrics'));
    expect(catalogNames(noKsm).has('kube_pod_info')).toBe(false);
    expect(catalogNames(noKsm).has(CLUSTER_RECORDED.workloadPod)).toBe(false);
    // cAdvisor's container series come from either cAdvisor.
    expect(catalogNames(new Set<MetricSource>(['kubelet-cadvisor'])).has('container_cpu_usage_seconds_total')).toBe(true);
    expect(catalogNames(new Set<MetricSource>(['cadvisor'])).has('container_cpu_usage_seconds_total')).toBe(true);
    expect(catalogNames(new Set<MetricSource>(['scrape'])).has('container_cpu_usage_seconds_total')).toBe(false);
  });

  it('knows the labels a query may match on, per enabled source', () => {
    expect([...knownLabels('kube_pod_info')!]).toEqual(expect.arrayContaining(['namespace', 'pod', 'node', 'job', 'instance', 'cluster']));
    expect(knownLabels('kube_pod_info')!.has('container')).toBe(false);
    expect(knownLabels('node_cpu_seconds_total')!.has('node')).toBe(true);
    expect(knownLabels('coredns_dns_request_duration_seconds_bucket')!.has('le')).toBe(true);
    expect(knownLabels('coredns_dns_request_duration_seconds_sum')!.has('le')).toBe(false);
    expect(knownLabels('up')).toBeUndefined();
  });

  it('follows the config: every cluster source on by default, each one off with its switch', () => {
    const dev = resolveEnvironment({ name: 'd', profile: 'dev' }).config;
    for (const s of CLUSTER_SOURCES) expect([s, enabledMetricSources(dev).has(s)]).toEqual([s, true]);
    const off = resolveEnvironment({
      name: 'd', profile: 'dev', overrides: {
        nodeExporter: { enabled: false }, kubeStateMetrics: { enabled: false },
        kubernetes: { kubelet: { metrics: false, cadvisor: false, probes: false }, apiServer: { enabled: false }, coredns: { enabled: false } },
      },
    }).config;
    for (const s of CLUSTER_SOURCES) expect([s, enabledMetricSources(off).has(s)]).toEqual([s, false]);
  });
});
