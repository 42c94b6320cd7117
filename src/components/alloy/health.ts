/** Alloy on the stack's watch: its loki.write counters and when it ships nothing. */
import type { StackConfig } from '../../config/types';
import type { HealthItem } from '../../lib/dashboards';
import type { RuleContribution, StackJob } from '../../lib/rules';
import { type ShippedEntries, logAgentAlerts, logAgentHealth } from '../log-pipeline/health';

const SHIPPED: ShippedEntries = { sent: 'loki_write_sent_entries_total', dropped: 'loki_write_dropped_entries_total' };

export const alloyHealth = (cfg: StackConfig): HealthItem[] => logAgentHealth(cfg, 'alloy', SHIPPED);

export function alloyAlerts(cfg: StackConfig, jobs: readonly StackJob[]): RuleContribution[] {
  return logAgentAlerts(cfg, jobs, 'alloy', SHIPPED, (t, dashboard) => ({
    // Every node runs pods that log (the agent itself, kube-proxy), so zero sent entries means a stuck pipeline.
    alert: 'LogAgentNotShipping',
    expr: `sum by (namespace, pod, node) (rate(${SHIPPED.sent}[10m])) == 0`,
    for: t.for,
    labels: { severity: 'critical', component: 'alloy' },
    annotations: {
      summary: 'Alloy on {{ $labels.node }} ships no logs',
      description: 'Service alloy ({{ $labels.namespace }}/{{ $labels.pod }}) sent no log entry to Loki for 10m: logs of node {{ $labels.node }} are not arriving.',
      dashboard,
    },
  }));
}
