/** node-exporter as a stack component: a DaemonSet in the agents namespace, one target per node. */
import { nodeExporterEndpoints } from './endpoints';
import type { StackComponent } from '../component';
import { NODE_EXPORTER_METRICS } from './metrics';
import { NodeExporter, nodeExporterScrapeTarget } from './node-exporter';
import { nodeExporterHelm } from './helm';

export const nodeExporter: StackComponent = {
  id: 'node-exporter',
  enabled: (cfg) => cfg.nodeExporter.enabled,
  metricSources: [NODE_EXPORTER_METRICS],
  pods: (cfg) => cfg.nodeExporter.pods,
  scrapeTargets: ({ cfg }, scrape) => [nodeExporterScrapeTarget(scrape(nodeExporterEndpoints(cfg).http))],
  build: ({ scope, cfg, labeler }) => new NodeExporter(scope, 'node-exporter', {
    config: cfg.nodeExporter, common: cfg.common, labeler, endpoint: nodeExporterEndpoints(cfg).http,
  }),
  helm: nodeExporterHelm,
};
