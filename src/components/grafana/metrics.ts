/** Grafana's metrics that dashboards and rules read (job grafana). */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';

export const GRAFANA_METRICS: MetricSourceSpec = {
  source: 'grafana',
  metrics: [
    metric('gauge', 'grafana_build_info', 'Grafana version'),
  ],
};
