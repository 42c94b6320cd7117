/** Promtail on the stack's watch: its client counters and when it reads lines but ships none. */
import type { StackConfig } from '../../config/types';
import type { HealthItem } from '../../lib/dashboards';
import type { RuleContribution, StackJob } from '../../lib/rules';
import { type ShippedEntries, logAgentAlerts, logAgentHealth } from '../log-pipeline/health';

const SHIPPED: ShippedEntries = { sent: 'promtail_sent_entries_total', dropped: 'promtail_dropped_entries_total' };

export const promtailHealth = (cfg: StackConfig): HealthItem[] => logAgentHealth(cfg, 'promtail', SHIPPED);

export function promtailAlerts(cfg: StackConfig, jobs: readonly StackJob[]): RuleContribution[] {
  return logAgentAlerts(cfg, jobs, 'promtail', SHIPPED, (t, dashboard) => ({
    // Reading lines but shipping none: Loki unreachable, rejecting, or the client stuck.
    alert: 'LogAgentNotShipping',
    expr: `sum by (namespace, pod, node) (rate(promtail_read_lines_total[10m])) > 0 unless sum by (namespace, pod, node) (rate(${SHIPPED.sent}[10m])) > 0`,
    for: t.for,
    labels: { severity: 'critical', component: 'promtail' },
    annotations: {
      summary: 'Promtail on {{ $labels.node }} reads logs but ships none',
      description: 'Service promtail ({{ $labels.namespace }}/{{ $labels.pod }}) read log lines for 10m without sending one entry to Loki: logs of node {{ $labels.node }} are not arriving.',
      dashboard,
    },
  }));
}
