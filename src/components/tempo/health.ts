/** Tempo on the stack-health dashboard (spans received and discarded, span metrics) and its alert on discarded spans. */
import type { StackConfig } from '../../config/types';
import { DASHBOARD_UIDS, type HealthItem, dashboard, dashboardPath, prom, timeseriesPanel } from '../../lib/dashboards';
import { type RuleContribution, type StackJob, stackAlerts } from '../../lib/rules';

export function tempoHealth(cfg: StackConfig): HealthItem[] {
  return [
    new dashboard.RowBuilder(`Tempo (retention ${cfg.tempo.retention})`),
    timeseriesPanel('Spans received', 'Spans per second accepted by Tempo\'s distributor.', 'short')
      .withTarget(prom('sum(rate(tempo_distributor_spans_received_total{job="tempo"}[$__rate_interval]))', 'spans/s')),
    timeseriesPanel('Spans discarded', 'Spans Tempo rejected, by reason (rate_limited, trace_too_large, live_traces_exceeded, ...).', 'short')
      .withTarget(prom('sum by (reason) (rate(tempo_discarded_spans_total{job="tempo"}[$__rate_interval]))', '{{reason}}'))
      .min(0),
    timeseriesPanel('Span metrics arriving', 'Span-metric and service-graph samples written by the metrics-generator (what the Services dashboard needs for trace-only services).', 'short')
      .withTarget(prom('sum(rate(traces_spanmetrics_calls_total[$__rate_interval]))', 'span calls/s'))
      .withTarget(prom('sum(rate(traces_service_graph_request_total[$__rate_interval]))', 'service-graph edges/s'))
      .withTarget(prom('sum(tempodb_blocklist_length{job="tempo"})', 'blocks in backend'))
      .overrideByName('blocks in backend', [{ id: 'custom.axisPlacement', value: 'right' }]),
  ];
}

/** TempoDiscardingSpans, when alerts are on and Tempo is scraped. */
export function tempoAlerts(cfg: StackConfig, jobs: readonly StackJob[]): RuleContribution[] {
  return stackAlerts(cfg.alerts.enabled, jobs, 'tempo', 'discards', () => [{
    alert: 'TempoDiscardingSpans',
    expr: 'sum by (reason) (rate(tempo_discarded_spans_total[5m])) > 0',
    for: cfg.alerts.thresholds.for,
    labels: { severity: 'warning', component: 'tempo' },
    annotations: {
      summary: 'Tempo is discarding spans ({{ $labels.reason }})',
      description: 'Service tempo rejects {{ $value | humanize }} spans/s with reason {{ $labels.reason }}: traces are incomplete.',
      dashboard: dashboardPath(DASHBOARD_UIDS.stackHealth),
    },
  }]);
}
