/**
 * Observability stack health: is every component up and scraped, is Prometheus's TSDB within its size
 * retention; then the rows the other components contribute (`stackHealth` of their descriptors), in
 * registry order: are the log and trace stores ingesting (and not discarding), is the log agent shipping.
 */
import {
  DASHBOARD_FILES, DASHBOARD_UIDS, type HealthItem, baseDashboard, dashboard, dashboardLink, dashboardRenderer, finalize, prom, stackDashboardsLink, table, timeseriesPanel,
} from '../../lib/dashboards';

export interface StackHealthInput {
  /** Scrape jobs of the deployed stack components. */
  readonly componentJobs: readonly string[];
  /** Prometheus's retention settings, shown next to the usage they bound. */
  readonly retention: { readonly prometheusTime: string; readonly prometheusSize: string };
  /** The other components' rows and panels, built, in registry order. */
  readonly items: ReadonlyArray<dashboard.Panel | dashboard.RowPanel>;
}

export function stackHealthDashboard(input: StackHealthInput): dashboard.Dashboard {
  const jobs = `job=~"${input.componentJobs.join('|')}"`;
  const r = input.retention;
  const b = baseDashboard('Observability stack health', DASHBOARD_UIDS.stackHealth,
    'Health of obs-stack itself: components, scrapes, Prometheus TSDB, Loki and Tempo ingestion, the log agent.')
    .link(dashboardLink('Services (RED)', DASHBOARD_UIDS.services, 'Requests, errors, latency, logs and traces per service'))
    .link(dashboardLink('Containers', DASHBOARD_UIDS.containers, 'CPU, memory, network and restarts of every container'))
    .link(stackDashboardsLink());

  b.withRow(new dashboard.RowBuilder('Components and scrapes'));
  b.withPanel(timeseriesPanel('Targets up per component', 'Targets answering scrapes, per job (the DaemonSets have one per node).', 'short', 12)
    .withTarget(prom(`sum by (job) (up{${jobs}})`, '{{job}} up'))
    .withTarget(prom(`count by (job) (up{${jobs}} == 0)`, '{{job}} down'))
    .min(0));
  b.withPanel(new table.PanelBuilder()
    .title('Targets down')
    .description('Every scrape target (stack and services) whose last scrape failed.')
    .withTarget(prom('up == 0', '', { instant: true }))
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true, Value: true, __name__: true } } })
    .span(12)
    .height(8));
  b.withPanel(timeseriesPanel('Samples per scrape', 'Samples each job exposes; a sudden jump is a cardinality explosion.', 'short', 12)
    .withTarget(prom('sum by (job) (scrape_samples_scraped)', '{{job}}')));
  b.withPanel(timeseriesPanel('Scrape duration (max per job)', 'Slowest scrape per job; near the scrape timeout, scrapes start failing.', 's', 12)
    .withTarget(prom('max by (job) (scrape_duration_seconds)', '{{job}}'))
    .withTarget(prom('sum(rate(prometheus_target_scrapes_exceeded_sample_limit_total[$__rate_interval]))', 'scrapes over sample_limit')));

  b.withRow(new dashboard.RowBuilder('Prometheus'));
  b.withPanel(timeseriesPanel('Head series', 'Active series in the head block: memory use follows it.', 'short')
    .withTarget(prom('sum(prometheus_tsdb_head_series{job="prometheus"})', 'series')));
  b.withPanel(timeseriesPanel('Samples appended per second', 'Ingestion rate (scrapes, rules and remote-written span metrics).', 'short')
    .withTarget(prom('sum(rate(prometheus_tsdb_head_samples_appended_total{job="prometheus"}[$__rate_interval]))', 'samples/s'))
    .withTarget(prom('sum by (code) (rate(prometheus_http_requests_total{job="prometheus", handler="/api/v1/write"}[$__rate_interval]))', 'remote-write requests/s {{code}}')));
  b.withPanel(timeseriesPanel('WAL', 'Write-ahead log size and fsync latency; corruptions should stay at 0.', 'bytes')
    .withTarget(prom('sum(prometheus_tsdb_wal_storage_size_bytes{job="prometheus"})', 'WAL size'))
    .withTarget(prom('sum(increase(prometheus_tsdb_wal_corruptions_total{job="prometheus"}[$__range]))', 'corruptions in range'))
    .overrideByName('corruptions in range', [{ id: 'unit', value: 'short' }, { id: 'custom.axisPlacement', value: 'right' }]));
  b.withPanel(timeseriesPanel(`Disk use vs size retention (${r.prometheusSize}, ${r.prometheusTime})`,
    'Blocks + WAL + head chunks against storage.tsdb.retention.size; above it, the oldest blocks are deleted early.', 'bytes', 12)
    .withTarget(prom('sum(prometheus_tsdb_storage_blocks_bytes{job="prometheus"} + prometheus_tsdb_wal_storage_size_bytes{job="prometheus"} + prometheus_tsdb_head_chunks_storage_size_bytes{job="prometheus"})', 'used'))
    .withTarget(prom('max(prometheus_tsdb_retention_limit_bytes{job="prometheus"})', 'size retention'))
    .overrideByName('size retention', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'custom.fillOpacity', value: 0 }]));
  b.withPanel(timeseriesPanel('Rule evaluation failures', 'Failed evaluations per rule group: recorded series and alerts of that group are missing.', 'short', 12)
    .withTarget(prom('sum by (rule_group) (increase(prometheus_rule_evaluation_failures_total{job="prometheus"}[$__rate_interval]))', '{{rule_group}}'))
    .min(0));

  for (const item of input.items) {
    if (item.type === 'row') b.withRow({ build: () => item as dashboard.RowPanel });
    else b.withPanel({ build: () => item as dashboard.Panel });
  }

  return finalize(b.build());
}

const renderStackHealth = dashboardRenderer((input: StackHealthInput) => ({ [DASHBOARD_FILES.stackHealth]: stackHealthDashboard(input) }));

/** stack-health.json with the contributed rows (built once per distinct input). */
export function renderStackHealthDashboard(input: Omit<StackHealthInput, 'items'>, items: readonly HealthItem[]): Record<string, string> {
  return renderStackHealth({ ...input, items: items.map((i) => i.build()) });
}
