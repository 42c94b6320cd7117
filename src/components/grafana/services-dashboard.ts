/**
 * Services (RED): the debugging loop on one page. Pick a service; see its request rate, error ratio
 * (4xx/5xx, span errors), latency with exemplars; narrow the time range; read its logs; open a slow or
 * failed trace; see which downstream dependency (service graph) misbehaved; jump to its containers.
 *
 * Works for both kinds of service: those exposing their own `/metrics` and those that only send traces
 * (Tempo span metrics). A message consumer counts the messages it processed like requests (its own
 * messaging metrics, `source=messages`, and its CONSUMER spans). Overview panels read the recorded `service:red_*` series (label `source`);
 * per-service latency reads the raw histograms so exemplars (trace IDs) are shown.
 */
import { RECORDED } from '../prometheus/recorded-series';
import { HANDLED_SPANS, SPAN_METRICS } from '../tempo/metrics';
import { APP_METRICS, MESSAGING_METRICS } from '../../lib/signals';
import {
  DASHBOARD_FILES, DASHBOARD_UIDS, DS, baseDashboard, common, dashboard, dashboardLink, dashboardPath, dashboardRenderer, finalize, logql, logs, lokiVariable, prom, promVariable, stackDashboardsLink, table, timeseriesPanel, traceql,
} from '../../lib/dashboards';

export interface ServicesDashboardInput {
  /** Traces slower than this (seconds) are listed as slow; the p99 alert threshold is a good value. */
  readonly slowTraceSeconds: number;
}

/** A TraceQL duration literal: `750ms`, `2s`. */
export function traceqlDuration(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)}ms` : `${+seconds.toFixed(3)}s`;
}

export function servicesDashboard(input: ServicesDashboardInput): dashboard.Dashboard {
  const app = APP_METRICS;
  const ns = 'namespace=~"$namespace"';
  const one = 'service="$service"';
  const containersUrl = `${dashboardPath(DASHBOARD_UIDS.containers)}?var-namespace=\${namespace}&var-pod=\${pod:regex}&\${__url_time_range}`;
  const containersLink = new dashboard.DashboardLinkBuilder('Containers of $service')
    .type(dashboard.DashboardLinkType.Link).url(containersUrl).icon('dashboard').tooltip('CPU, memory, restarts of this service\'s pods')
    .keepTime(false).includeVars(false).targetBlank(false).asDropdown(false).tags([]);
  const serviceDataLink = new dashboard.DashboardLinkBuilder('Open ${__field.labels.service}')
    .type(dashboard.DashboardLinkType.Link)
    .url(`${dashboardPath(DASHBOARD_UIDS.services)}?var-service=\${__field.labels.service}&\${__url_time_range}`)
    .icon('dashboard').tooltip('').keepTime(false).includeVars(false).targetBlank(false).asDropdown(false).tags([]);
  const logSelector = `{${one}, ${ns}}`;

  const b = baseDashboard('Services (RED)', DASHBOARD_UIDS.services,
    'Rate, errors and duration per service, from its own /metrics (source=metrics) or from Tempo span metrics (source=traces), with its logs and traces.')
    .withVariable(promVariable('namespace', 'Namespace', `label_values(${RECORDED.requests}, namespace)`, { includeAll: true }))
    .withVariable(promVariable('service', 'Service', `label_values(${RECORDED.requests}{${ns}}, service)`))
    .withVariable(lokiVariable('pod', 'Pods', 'pod', logSelector, { hide: true }))
    .withVariable(new dashboard.TextBoxVariableBuilder('search').label('Log filter (regex)').defaultValue('').description('Case-insensitive regex applied to log lines'))
    .link(containersLink)
    .link(dashboardLink('Stack health', DASHBOARD_UIDS.stackHealth, 'Is the observability stack itself healthy?'))
    .link(stackDashboardsLink());

  // Overview of every service (ignores $service).
  b.withRow(new dashboard.RowBuilder('All services'));
  b.withPanel(timeseriesPanel('Requests per second', 'Requests served (or messages processed) per service: own metrics, SERVER and CONSUMER spans for traces.', 'reqps')
    .withTarget(prom(`sum by (service, source) (${RECORDED.requests}{${ns}})`, '{{service}} · {{source}}'))
    .dataLinks([serviceDataLink]));
  b.withPanel(timeseriesPanel('Server error ratio', 'Share of requests answered 5xx (metrics) or with span status ERROR (traces).', 'percentunit')
    .withTarget(prom(`max by (service, source) (${RECORDED.errorRatio}{${ns}})`, '{{service}} · {{source}}'))
    .min(0)
    .dataLinks([serviceDataLink]));
  b.withPanel(timeseriesPanel('p99 latency', '99th percentile request duration per service.', 's')
    .withTarget(prom(`max by (service, source) (${RECORDED.latencyP99}{${ns}})`, '{{service}} · {{source}}'))
    .dataLinks([serviceDataLink]));

  // The selected service.
  b.withRow(new dashboard.RowBuilder('Service $service'));
  const msg = MESSAGING_METRICS;
  b.withPanel(timeseriesPanel('Requests per second by route', 'Own metrics by route (messages by topic); span metrics by span name.', 'reqps')
    .withTarget(prom(`sum by (${app.labels.route}) (rate(${app.requestsTotal}{${one}, ${ns}}[$__rate_interval]))`, '{{route}} · metrics'))
    .withTarget(prom(`sum by (${msg.labels.destination}) (rate(${msg.consumed}{${one}, ${ns}}[$__rate_interval]))`, `{{${msg.labels.destination}}} · messages`))
    .withTarget(prom(`sum by (span_name) (rate(${SPAN_METRICS.calls}{${one}, ${HANDLED_SPANS}}[$__rate_interval]))`, '{{span_name}} · traces'))
    .links([containersLink]));
  b.withPanel(timeseriesPanel('Error ratio by class', '4xx (client errors) and 5xx (server errors) from own metrics; span status ERROR from traces.', 'percentunit')
    .withTarget(prom(`sum by (class, source) (${RECORDED.errorRatioByClass}{${one}, ${ns}})`, '{{class}} · {{source}}'))
    .min(0)
    .links([containersLink]));
  const quantiles = [['0.5', 'p50'], ['0.95', 'p95'], ['0.99', 'p99']] as const;
  const latency = timeseriesPanel('Latency p50 / p95 / p99', 'Request (or message processing) duration quantiles; the dots are exemplars: click one to open its trace.', 's');
  for (const [q, name] of quantiles) {
    latency.withTarget(prom(`histogram_quantile(${q}, sum by (le) (rate(${app.requestDuration}_bucket{${one}, ${ns}}[$__rate_interval])))`, `${name} · metrics`, { exemplar: true }));
  }
  for (const [q, name] of quantiles) {
    latency.withTarget(prom(`histogram_quantile(${q}, sum by (le) (rate(${msg.processDuration}_bucket{${one}, ${ns}}[$__rate_interval])))`, `${name} · messages`, { exemplar: true }));
  }
  for (const [q, name] of quantiles) {
    latency.withTarget(prom(`histogram_quantile(${q}, sum by (le) (rate(${SPAN_METRICS.latency}_bucket{${one}, ${HANDLED_SPANS}}[$__rate_interval])))`, `${name} · traces`, { exemplar: true }));
  }
  b.withPanel(latency.links([containersLink]));

  // Logs and traces of the service, following the dashboard's time range.
  b.withRow(new dashboard.RowBuilder('Logs and traces of $service'));
  b.withPanel(timeseriesPanel('Log lines by level', 'Log volume of the service by level (structured metadata the log agents attach; lines without one count under an empty level).', 'short', 8, 8)
    .withTarget(logql(`sum by (level) (count_over_time(${logSelector} |~ "(?i)$search" [$__auto]))`, '{{level}}'))
    .datasource(DS.logs));
  b.withPanel(new logs.PanelBuilder()
    .title('Logs of $service')
    .description('Newest first. Expand a line: a trace_id links to the trace in Tempo.')
    .datasource(DS.logs)
    .withTarget(logql(`${logSelector} |~ "(?i)$search"`).maxLines(500))
    .span(16)
    .height(12)
    .showTime(true)
    .showLabels(false)
    .showCommonLabels(false)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None));
  b.withPanel(new table.PanelBuilder()
    .title(`Slow traces (> ${traceqlDuration(input.slowTraceSeconds)})`)
    .description('Server (or consumer) spans of $service slower than the p99 alert threshold. Click a trace ID to open it.')
    .datasource(DS.traces)
    .withTarget(traceql(`{ resource.service.name = "$service" && (kind = server || kind = consumer) && duration > ${traceqlDuration(input.slowTraceSeconds)} }`, 20))
    .span(12)
    .height(10));
  b.withPanel(new table.PanelBuilder()
    .title('Failed traces')
    .description('Traces of $service with a span in status error.')
    .datasource(DS.traces)
    .withTarget(traceql('{ resource.service.name = "$service" && status = error }', 20))
    .span(12)
    .height(10));

  // Downstream dependencies from Tempo's service graph.
  b.withRow(new dashboard.RowBuilder('Dependencies of $service (service graph)'));
  b.withPanel(timeseriesPanel('Calls per second to each dependency', 'Requests $service sends, by the service that answers.', 'reqps')
    .withTarget(prom(`sum by (server) (rate(${SPAN_METRICS.graphRequests}{client="$service"}[$__rate_interval]))`, '{{server}}')));
  b.withPanel(timeseriesPanel('Failed calls per dependency', 'Share of calls from $service that failed, by dependency.', 'percentunit')
    .withTarget(prom(`sum by (server) (rate(${SPAN_METRICS.graphFailed}{client="$service"}[$__rate_interval])) / sum by (server) (rate(${SPAN_METRICS.graphRequests}{client="$service"}[$__rate_interval]))`, '{{server}}'))
    .min(0));
  b.withPanel(timeseriesPanel('Dependency p99 (server side)', 'How long each dependency took to answer $service.', 's')
    .withTarget(prom(`histogram_quantile(0.99, sum by (server, le) (rate(${SPAN_METRICS.graphServerSeconds}_bucket{client="$service"}[$__rate_interval])))`, '{{server}}')));

  // Messaging (OpenTelemetry's messaging metrics, any broker): what the service sends and, as a consumer, how far behind it is.
  b.withRow(new dashboard.RowBuilder('Messaging of $service'));
  b.withPanel(timeseriesPanel('Messages per second', 'Sent (failed sends by error type) and processed, by topic.', 'short', 12)
    .withTarget(prom(`sum by (${msg.labels.destination}, ${msg.labels.errorType}) (rate(${msg.sent}{${one}, ${ns}}[$__rate_interval]))`, `sent {{${msg.labels.destination}}} {{${msg.labels.errorType}}}`))
    .withTarget(prom(`sum by (${msg.labels.destination}, ${msg.labels.errorType}) (rate(${msg.consumed}{${one}, ${ns}}[$__rate_interval]))`, `processed {{${msg.labels.destination}}} {{${msg.labels.errorType}}}`)));
  b.withPanel(timeseriesPanel('Consumer lag', 'Messages per partition the consumer has not processed yet, as the consumer sees them.', 'short', 12)
    .withTarget(prom(`max by (${msg.labels.group}, ${msg.labels.destination}, ${msg.labels.partition}) (${msg.consumerLag}{${one}, ${ns}})`, `{{${msg.labels.destination}}}/{{${msg.labels.partition}}} · {{${msg.labels.group}}}`))
    .min(0));

  return finalize(b.build());
}

/** services-red.json (built once per distinct input). */
export const renderServicesDashboard = dashboardRenderer((input: ServicesDashboardInput) => ({ [DASHBOARD_FILES.services]: servicesDashboard(input) }));
