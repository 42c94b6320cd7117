/** Promtail as a stack component (the log agent when `logAgent` is `promtail`). */
import type { StackComponent } from '../component';
import { logAgentEnabled, wiredLogPipeline } from '../log-pipeline';
import { Promtail, promtailScrapeTarget } from './promtail';
import { promtailAlerts, promtailHealth } from './health';
import { promtailHelm } from './helm';

export const promtail: StackComponent<'promtail'> = {
  id: 'promtail',
  enabled: (cfg) => logAgentEnabled(cfg, 'promtail'),
  pods: (cfg) => cfg.promtail.pods,
  scrapeTargets: ({ endpoints }, scrape) => [promtailScrapeTarget(scrape(endpoints.promtail.http))],
  stackHealth: ({ cfg }) => promtailHealth(cfg),
  ruleGroups: ({ cfg, jobs }) => promtailAlerts(cfg, jobs),
  build: (ctx) => new Promtail(ctx.scope, 'promtail', {
    config: ctx.cfg.promtail, common: ctx.cfg.common, image: ctx.cfg.promtail.image, labeler: ctx.labeler,
    endpoint: ctx.endpoints.promtail.http, pipeline: wiredLogPipeline(ctx),
  }),
  helm: promtailHelm,
};
