/** Grafana Alloy as a stack component (the log agent when `logAgent` is `alloy`). */
import type { StackComponent } from '../component';
import { agentLogsTelemetry } from '../log-pipeline/readme';
import { ALLOY_METRICS } from './metrics';
import { logAgentEnabled, wiredLogPipeline } from '../log-pipeline';
import { Alloy, alloyScrapeTarget } from './alloy';
import { alloyAlerts, alloyHealth } from './health';
import { alloyHelm } from './helm';

export const alloy: StackComponent<'alloy'> = {
  id: 'alloy',
  enabled: (cfg) => logAgentEnabled(cfg, 'alloy'),
  metricSources: [ALLOY_METRICS],
  pods: (cfg) => cfg.alloy.pods,
  readme: { ownTelemetry: () => agentLogsTelemetry('Alloy') },
  scrapeTargets: ({ endpoints }, scrape) => [alloyScrapeTarget(scrape(endpoints.alloy.http))],
  stackHealth: ({ cfg }) => alloyHealth(cfg),
  ruleGroups: ({ cfg, jobs }) => alloyAlerts(cfg, jobs),
  build: (ctx) => new Alloy(ctx.scope, 'alloy', {
    config: ctx.cfg.alloy, common: ctx.cfg.common, image: ctx.cfg.alloy.image, labeler: ctx.labeler,
    endpoint: ctx.endpoints.alloy.http, pipeline: wiredLogPipeline(ctx),
  }),
  helm: alloyHelm,
};
