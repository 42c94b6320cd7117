/** Alloy's metrics that dashboards and rules read (job alloy). */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';

export const ALLOY_METRICS: MetricSourceSpec = {
  source: 'alloy',
  metrics: [
    metric('counter', 'loki_write_sent_entries_total', 'entries loki.write shipped to Loki'),
    metric('counter', 'loki_write_dropped_entries_total', 'entries loki.write dropped after retries'),
  ],
};
