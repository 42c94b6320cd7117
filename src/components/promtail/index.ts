/** Promtail as a stack component (the log agent when `logAgent` is `promtail`). */
import { type StackComponent, configSection } from '../component';
import { agentLogsTelemetry } from '../log-pipeline/readme';
import { PROMTAIL_METRICS } from './metrics';
import { logAgentEnabled, wiredLogPipeline } from '../log-pipeline';
import { Promtail, promtailScrapeTarget } from './promtail';
import { promtailAlerts, promtailHealth } from './health';
import { promtailHelm } from './helm';
import { PROMTAIL_DEFAULTS, PROMTAIL_PROFILES, promtailSchema } from './config';
import { PROMTAIL_ENDPOINTS, PROMTAIL_NAMES } from './endpoints';

export const promtail: StackComponent<'promtail'> = {
  id: 'promtail',
  enabled: (cfg) => logAgentEnabled(cfg, 'promtail'),
  sends: () => ['logs-push'],
  metricSources: [PROMTAIL_METRICS],
  pods: (cfg) => cfg.promtail.pods,
  readme: {
    warnings: () => ["promtail is end of life (since 2026-03-02); logAgent: 'alloy' is the maintained choice"],
    ownTelemetry: () => agentLogsTelemetry('Promtail'),
  },
  scrapeTargets: ({ endpoints }, scrape) => [promtailScrapeTarget(scrape(endpoints.promtail.http))],
  stackHealth: ({ cfg }) => promtailHealth(cfg),
  ruleGroups: ({ cfg, jobs }) => promtailAlerts(cfg, jobs),
  build: (ctx) => new Promtail(ctx.scope, 'promtail', {
    config: ctx.cfg.promtail, common: ctx.cfg.common, image: ctx.cfg.promtail.image, labeler: ctx.labeler,
    endpoint: ctx.endpoints.promtail.http, pipeline: wiredLogPipeline(ctx),
  }),
  helm: promtailHelm,
};

/** What the registry assembles from this folder. */
export const registration = {
  component: promtail,
  config: { promtail: configSection(promtailSchema, PROMTAIL_DEFAULTS, PROMTAIL_PROFILES) },
  endpoints: PROMTAIL_ENDPOINTS,
  names: PROMTAIL_NAMES,
} as const;
