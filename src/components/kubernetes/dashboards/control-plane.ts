/**
 * API server and control plane: the API server's requests, errors, mean latency and load (its latency
 * histogram is not kept: thousands of series), CoreDNS's queries, answers, latency and cache, the kubelets'
 * runtime health, and which of these targets answer.
 */
import { baseDashboard, dashboard, finalize, prom, table, timeseriesPanel } from '../../../lib/dashboards';
import type { MetricSource } from '../../../lib/metric-source';
import { CLUSTER_DASHBOARD_UIDS, JOBS, type ClusterDashboard, clusterLinks, clusterVariable, hasAll, sel } from './common';

export function controlPlaneDashboard(sources: ReadonlySet<MetricSource>, rendered: readonly ClusterDashboard[], jobs: readonly string[]): dashboard.Dashboard {
  const b = baseDashboard('API server and control plane', CLUSTER_DASHBOARD_UIDS.controlPlane,
    'The API server (requests, errors, latency), CoreDNS and the kubelets, scraped where they run.')
    .withVariable(clusterVariable());
  clusterLinks(b, 'controlPlane', rendered);
  const rate = (metric: string, ...m: string[]) => `rate(${metric}${sel(...m)}[$__rate_interval])`;

  if (hasAll(sources, 'apiserver')) {
    const api = `job="${JOBS.apiServer}"`;
    b.withRow(new dashboard.RowBuilder('API server'));
    b.withPanel(timeseriesPanel('Requests by code', 'Requests per second the API server answered, by HTTP code.', 'reqps', 8)
      .withTarget(prom(`sum by (code) (${rate('apiserver_request_total', api)})`, '{{code}}')).min(0));
    b.withPanel(timeseriesPanel('Server errors', 'Share of requests answered with a 5xx (KubeAPIErrorsHigh fires above 1% and 3%).', 'percentunit', 8)
      .withTarget(prom(`sum(${rate('apiserver_request_total', api, 'code=~"5.."')}) / sum(${rate('apiserver_request_total', api)})`, '5xx')).min(0));
    b.withPanel(timeseriesPanel('Requests by verb', 'Requests per second by verb.', 'reqps', 8)
      .withTarget(prom(`sum by (verb) (${rate('apiserver_request_total', api)})`, '{{verb}}')).min(0));
    // WATCH and CONNECT stay open for minutes: they would swamp the mean.
    const timed = [api, 'verb!~"WATCH|CONNECT"'];
    b.withPanel(timeseriesPanel('Mean latency by verb', 'Average request duration per verb (long-running WATCH and CONNECT excluded).', 's', 8)
      .withTarget(prom(`sum by (verb) (${rate('apiserver_request_duration_seconds_sum', ...timed)}) / sum by (verb) (${rate('apiserver_request_duration_seconds_count', ...timed)})`, '{{verb}}')).min(0));
    b.withPanel(timeseriesPanel('Requests in flight', 'Read-only and mutating requests being served (the API server\'s max-in-flight limits apply to these).', 'short', 8)
      .withTarget(prom(`sum by (request_kind) (apiserver_current_inflight_requests${sel(api)})`, '{{request_kind}}')).min(0));
    b.withPanel(timeseriesPanel('API server CPU and memory', 'CPU cores and resident memory of each API server process.', 'short', 8)
      .withTarget(prom(`${rate('process_cpu_seconds_total', api)}`, 'cpu {{instance}}'))
      .withTarget(prom(`process_resident_memory_bytes${sel(api)}`, 'memory {{instance}}'))
      .overrideByRegexp('^memory .*', [{ id: 'unit', value: 'bytes' }, { id: 'custom.axisPlacement', value: 'right' }]).min(0));
  }

  if (hasAll(sources, 'coredns')) {
    const dns = `job="${JOBS.coredns}"`;
    b.withRow(new dashboard.RowBuilder('CoreDNS'));
    b.withPanel(timeseriesPanel('Queries by type', 'DNS queries per second by record type.', 'reqps', 6)
      .withTarget(prom(`sum by (type) (${rate('coredns_dns_requests_total', dns)})`, '{{type}}')).min(0));
    b.withPanel(timeseriesPanel('Answers by rcode', 'Answers per second by response code (NXDOMAIN is usual search-path noise; SERVFAIL is not).', 'reqps', 6)
      .withTarget(prom(`sum by (rcode) (${rate('coredns_dns_responses_total', dns)})`, '{{rcode}}')).min(0));
    b.withPanel(timeseriesPanel('Latency', 'Time to answer a query, p50 and p99.', 's', 6)
      .withTarget(prom(`histogram_quantile(0.5, sum by (le) (${rate('coredns_dns_request_duration_seconds_bucket', dns)}))`, 'p50'))
      .withTarget(prom(`histogram_quantile(0.99, sum by (le) (${rate('coredns_dns_request_duration_seconds_bucket', dns)}))`, 'p99')).min(0));
    b.withPanel(timeseriesPanel('Cache hit ratio', 'Share of queries answered from the cache.', 'percentunit', 6)
      .withTarget(prom(`sum(${rate('coredns_cache_hits_total', dns)}) / sum(${rate('coredns_cache_requests_total', dns)})`, 'hits')).min(0).max(1));
  }

  if (hasAll(sources, 'kubelet')) {
    const kubelet = `job="${JOBS.kubelet}"`;
    b.withRow(new dashboard.RowBuilder('Kubelets'));
    b.withPanel(timeseriesPanel('Pod lifecycle relist p99', 'How long each kubelet takes to relist pods from the runtime; seconds here make pods start and stop late.', 's', 8)
      .withTarget(prom(`histogram_quantile(0.99, sum by (node, le) (${rate('kubelet_pleg_relist_duration_seconds_bucket', kubelet)}))`, '{{node}}')).min(0));
    b.withPanel(timeseriesPanel('Runtime errors', 'Failed calls from each kubelet to the container runtime, by operation.', 'short', 8)
      .withTarget(prom(`sum by (node, operation_type) (${rate('kubelet_runtime_operations_errors_total', kubelet)})`, '{{node}} {{operation_type}}')).min(0));
    b.withPanel(timeseriesPanel('Containers by state', 'Containers each kubelet runs, by state.', 'short', 8)
      .withTarget(prom(`sum by (node, container_state) (kubelet_running_containers${sel(kubelet)})`, '{{node}} {{container_state}}')).min(0));
  }

  if (jobs.length > 0) {
    b.withRow(new dashboard.RowBuilder('Targets'));
    b.withPanel(new table.PanelBuilder()
      .title('Cluster targets')
      .description('Every kubelet, API server and CoreDNS target Prometheus scrapes; 0 under "up" is a failing scrape (the targets page says why).')
      .withTarget(prom(`up${sel(`job=~"${jobs.join('|')}"`)}`, '', { instant: true }))
      .withTransformation({ id: 'organize', options: { excludeByName: { Time: true, __name__: true }, renameByName: { Value: 'up' } } })
      .span(24)
      .height(8));
  }
  return finalize(b.build());
}
