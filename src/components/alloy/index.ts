/** Grafana Alloy as a stack component (the log agent when `logAgent` is `alloy`). */
import { type StackComponent, configSection } from '../component';
import { agentLogsTelemetry } from '../log-pipeline/readme';
import { ALLOY_METRICS } from './metrics';
import { logAgentEnabled, wiredLogPipeline } from '../log-pipeline';
import { Alloy, alloyScrapeTarget } from './alloy';
import { alloyAlerts, alloyHealth } from './health';
import { alloyHelm } from './helm';
import { ALLOY_DEFAULTS, ALLOY_PROFILES, alloySchema } from './config';
import { ALLOY_ENDPOINTS, ALLOY_NAMES } from './endpoints';

export const alloy: StackComponent<'alloy'> = {
  id: 'alloy',
  enabled: (cfg) => logAgentEnabled(cfg, 'alloy'),
  sends: () => ['logs-push'],
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

/** What the registry assembles from this folder. */
export const registration = {
  component: alloy,
  config: { alloy: configSection(alloySchema, ALLOY_DEFAULTS, ALLOY_PROFILES) },
  endpoints: ALLOY_ENDPOINTS,
  names: ALLOY_NAMES,
} as const;
