/** node-exporter as a stack component: a DaemonSet in the agents namespace, one target per node. */
import { NODE_EXPORTER_ENDPOINTS, NODE_EXPORTER_NAMES, nodeExporterEndpoints } from './endpoints';
import { type StackComponent, configSection } from '../component';
import { NODE_EXPORTER_METRICS } from './metrics';
import { NodeExporter, nodeExporterScrapeTarget } from './node-exporter';
import { nodeExporterHelm } from './helm';
import { NODE_EXPORTER_DEFAULTS, NODE_EXPORTER_PROFILES, nodeExporterSchema } from './config';

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

/** What the registry assembles from this folder. */
export const registration = {
  component: nodeExporter,
  config: { nodeExporter: configSection(nodeExporterSchema, NODE_EXPORTER_DEFAULTS, NODE_EXPORTER_PROFILES) },
  clusterEndpoints: NODE_EXPORTER_ENDPOINTS,
  names: NODE_EXPORTER_NAMES,
} as const;
