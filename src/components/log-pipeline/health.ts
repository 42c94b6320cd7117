/** What both log agents add to the stack's watch: a panel in Loki's row of the stack-health dashboard, and alerts on shipping. */
import type { AlertThresholds, LogAgentKind, StackConfig } from '../../config/types';
import { DASHBOARD_UIDS, type HealthItem, dashboardPath, prom, timeseriesPanel } from '../../lib/dashboards';
import { type AlertingRule, type RuleContribution, type StackJob, stackAlerts } from '../../lib/rules';
import { logAgentEnabled } from '.';

/** The agent's counters of entries sent to Loki and dropped after retries. */
export interface ShippedEntries {
  readonly sent: string;
  readonly dropped: string;
}

/** The agent's panel, when it is the configured agent. */
export function logAgentHealth(cfg: StackConfig, agent: LogAgentKind, m: ShippedEntries): HealthItem[] {
  if (cfg.logAgent !== agent) return [];
  return [
    timeseriesPanel(`Entries shipped by ${agent}`, 'Entries per second each agent pod sends to Loki, and entries dropped after retries.', 'short')
      .withTarget(prom(`sum by (node) (rate(${m.sent}{job="${agent}"}[$__rate_interval]))`, 'sent {{node}}'))
      .withTarget(prom(`sum by (node) (rate(${m.dropped}{job="${agent}"}[$__rate_interval]))`, 'dropped {{node}}')),
  ];
}

/** LogAgentNotShipping (the agent's own condition) and LogAgentDroppingLogs, when the agent is deployed and scraped. */
export function logAgentAlerts(cfg: StackConfig, jobs: readonly StackJob[], agent: LogAgentKind, m: ShippedEntries,
  notShipping: (t: AlertThresholds, dashboard: string) => AlertingRule): RuleContribution[] {
  if (!logAgentEnabled(cfg, agent)) return [];
  const dashboard = dashboardPath(DASHBOARD_UIDS.stackHealth);
  return stackAlerts(cfg.alerts.enabled, jobs, agent, 'shipping', (title) => [
    notShipping(cfg.alerts.thresholds, dashboard),
    {
      alert: 'LogAgentDroppingLogs',
      expr: `sum by (namespace, pod, node) (increase(${m.dropped}[10m])) > 0`,
      for: '0s',
      labels: { severity: 'warning', component: agent },
      annotations: {
        summary: `${title} on {{ $labels.node }} dropped log entries`,
        description: `Service ${agent} ({{ $labels.namespace }}/{{ $labels.pod }}) gave up on {{ $value | humanize }} log entries in 10m after retries.`,
        dashboard,
      },
    },
  ]);
}
