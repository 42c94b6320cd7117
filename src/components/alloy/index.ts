/** Grafana Alloy as a stack component (the log agent when `logAgent` is `alloy`). */
import type { StackComponent } from '../component';
import { agentLogsTelemetry } from '../log-pipeline/readme';
import { ALLOY_METRICS } from './metrics';
import { logAgentEnabled, wiredLogPipeline } from '../log-pipeline';
import { Alloy, alloyScrapeTarget } from './alloy';

export const alloy: StackComponent = {
  id: 'alloy',
  enabled: (cfg) => logAgentEnabled(cfg, 'alloy'),
  metricSources: [ALLOY_METRICS],
  pods: (cfg) => cfg.alloy.pods,
  readme: { ownTelemetry: () => agentLogsTelemetry('Alloy') },
  scrapeTargets: ({ endpoints }, scrape) => [alloyScrapeTarget(scrape(endpoints.alloy.http))],
  build: (ctx) => new Alloy(ctx.scope, 'alloy', {
    config: ctx.cfg.alloy, common: ctx.cfg.common, image: ctx.cfg.alloy.image, labeler: ctx.labeler,
    endpoint: ctx.endpoints.alloy.http, pipeline: wiredLogPipeline(ctx),
  }),
};
