/** Loki's metrics that dashboards and rules read (job loki). */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';

export const LOKI_METRICS: MetricSourceSpec = {
  source: 'loki',
  metrics: [
    metric('counter', 'loki_distributor_lines_received_total', 'log lines received, by tenant'),
    metric('counter', 'loki_distributor_bytes_received_total', 'log bytes received, by tenant'),
    metric('counter', 'loki_discarded_samples_total', 'log lines rejected, by reason and tenant'),
    metric('counter', 'loki_discarded_bytes_total', 'log bytes rejected, by reason and tenant'),
    metric('gauge', 'loki_ingester_memory_streams', 'streams held in ingester memory'),
  ],
};
