import { METRICS_CATALOG, RECORDED, catalogNames, serviceMetricsContractMarkdown } from '../../src/lib/metrics-catalog';
import { APP_METRICS } from '../../src/lib/signals';

describe('metrics catalog', () => {
  it('lists each metric once, with a valid Prometheus metric name', () => {
    const names = METRICS_CATALOG.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
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
    ]));
    for (const r of Object.values(RECORDED)) expect(catalogNames().has(r)).toBe(true);
  });

  it('documents the metric names a service must expose', () => {
    const md = serviceMetricsContractMarkdown();
    expect(md).toContain(APP_METRICS.requestsTotal);
    expect(md).toContain(APP_METRICS.requestDuration);
    expect(md).toContain('traces_spanmetrics_calls_total');
  });
});
