/** Promtail's metrics that dashboards and rules read (job promtail). */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';

export const PROMTAIL_METRICS: MetricSourceSpec = {
  source: 'promtail',
  metrics: [
    metric('counter', 'promtail_read_lines_total', 'lines read from log files'),
    metric('counter', 'promtail_sent_entries_total', 'entries shipped to Loki'),
    metric('counter', 'promtail_dropped_entries_total', 'entries dropped after retries'),
  ],
};
