/** Loki on the stack-health dashboard (what it receives and discards) and its alert on discarded lines. */
import type { StackConfig } from '../../config/types';
import { DASHBOARD_UIDS, type HealthItem, dashboard, dashboardPath, prom, timeseriesPanel } from '../../lib/dashboards';
import { type RuleContribution, type StackJob, stackAlerts } from '../../lib/rules';

/** Loki's row; the log agent's panel follows it. */
export function lokiHealth(cfg: StackConfig): HealthItem[] {
  return [
    new dashboard.RowBuilder(`Loki (retention ${cfg.loki.retention}) and the log agent (${cfg.logAgent})`),
    timeseriesPanel('Log lines received', 'Lines per second accepted by Loki\'s distributor.', 'short')
      .withTarget(prom('sum(rate(loki_distributor_lines_received_total{job="loki"}[$__rate_interval]))', 'lines/s'))
      .withTarget(prom('sum(rate(loki_distributor_bytes_received_total{job="loki"}[$__rate_interval]))', 'bytes/s'))
      .overrideByName('bytes/s', [{ id: 'unit', value: 'Bps' }, { id: 'custom.axisPlacement', value: 'right' }]),
    timeseriesPanel('Log lines discarded', 'Lines Loki rejected, by reason (rate_limited, stream_limit, line_too_long, ...).', 'short')
      .withTarget(prom('sum by (reason) (rate(loki_discarded_samples_total{job="loki"}[$__rate_interval]))', '{{reason}}'))
      .min(0),
  ];
}

/** LokiDiscardingLogs, when alerts are on and Loki is scraped. */
export function lokiAlerts(cfg: StackConfig, jobs: readonly StackJob[]): RuleContribution[] {
  return stackAlerts(cfg.alerts.enabled, jobs, 'loki', 'discards', () => [{
    alert: 'LokiDiscardingLogs',
    expr: 'sum by (reason) (rate(loki_discarded_samples_total[5m])) > 0',
    for: cfg.alerts.thresholds.for,
    labels: { severity: 'warning', component: 'loki' },
    annotations: {
      summary: 'Loki is discarding log lines ({{ $labels.reason }})',
      description: 'Service loki rejects {{ $value | humanize }} log lines/s with reason {{ $labels.reason }}: raise loki.limits or reduce what the agents ship.',
      dashboard: dashboardPath(DASHBOARD_UIDS.stackHealth),
    },
  }]);
}
