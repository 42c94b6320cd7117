/** node-exporter as a stack component: a DaemonSet in the agents namespace, one target per node. */
import { clusterMonitoringEndpoints } from '../../lib/endpoints';
import type { StackComponent } from '../component';
import { NODE_EXPORTER_METRICS } from './metrics';
import { NodeExporter, nodeExporterScrapeTarget } from './node-exporter';

export const nodeExporter: StackComponent = {
  id: 'node-exporter',
  enabled: (cfg) => cfg.nodeExporter.enabled,
  metricSources: [NODE_EXPORTER_METRICS],
  pods: (cfg) => cfg.nodeExporter.pods,
  scrapeTargets: ({ cfg }, scrape) => [nodeExporterScrapeTarget(scrape(clusterMonitoringEndpoints(cfg).nodeExporter.http))],
  build: ({ scope, cfg, labeler }) => new NodeExporter(scope, 'node-exporter', {
    config: cfg.nodeExporter, common: cfg.common, labeler, endpoint: clusterMonitoringEndpoints(cfg).nodeExporter.http,
  }),
};
