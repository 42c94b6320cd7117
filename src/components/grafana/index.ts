/** Grafana as a stack component: the enabled components' datasources, the stack's dashboards, an optional Ingress. */
import { type StackComponent, configSection } from '../component';
import { withExtraDashboards } from './extra-dashboards';
import { renderServicesDashboard } from './services-dashboard';
import { grafanaDatasourcesFor } from './datasource-inputs';
import { Grafana, grafanaScrapeTarget } from './grafana';
import { grafanaExternalEndpoints } from './external';
import { grafanaReadme } from './readme';
import { GRAFANA_METRICS } from './metrics';
import { grafanaHelm } from './helm';
import { grafanaUserSecrets } from './secrets';
import { GRAFANA_DEFAULTS, GRAFANA_PROFILES, grafanaSchema } from './config';
import { GRAFANA_ENDPOINTS, GRAFANA_NAMES } from './endpoints';

export const grafana: StackComponent<'grafana'> = {
  id: 'grafana',
  enabled: (cfg) => cfg.grafana.enabled,
  metricSources: [GRAFANA_METRICS],
  pods: (cfg) => cfg.grafana.pods,
  externalEndpoints: grafanaExternalEndpoints,
  userSecrets: grafanaUserSecrets,
  readme: grafanaReadme,
  scrapeTargets: ({ endpoints }, scrape) => [grafanaScrapeTarget(scrape(endpoints.grafana.http))],
  build: ({ scope, env, cfg, labeler, endpoints, wire, dashboards }) => {
    // The Ingress is served by the cluster's ingress controller, which connects to Grafana's Service port.
    if (cfg.grafana.ingress.enabled) wire('ingress-controller', endpoints.grafana.http, 'http', 'serves Grafana through the Ingress');
    return new Grafana(scope, 'grafana', {
      config: cfg.grafana, common: cfg.common, image: cfg.grafana.image, labeler, endpoint: endpoints.grafana.http,
      // The enabled components' datasources, each URL from a wire from Grafana.
      datasources: grafanaDatasourcesFor({ cfg, endpoints, connect: (to, kind, purpose) => wire('grafana', to, kind, purpose) }),
      dashboards: withExtraDashboards(env, dashboards()),
    });
  },
  // The Services dashboard: Grafana's one page over its metrics, logs and traces datasources.
  dashboards: ({ cfg }) => renderServicesDashboard({ slowTraceSeconds: cfg.alerts.thresholds.latencyP99Seconds }),
  // What the Helm chart cannot express, each with the template that decides it (the pinned chart version).
  helmChartLimits: [
    {
      chart: 'grafana', fact: 'env GOMEMLIMIT',
      reason: 'templates/_pod.tpl sets `GOMEMLIMIT` itself to the whole memory limit (a resourceFieldRef) whenever a limit is set; a second entry of the same name would be refused by server-side apply.',
    },
    {
      chart: 'grafana', fact: 'emptyDir volumes',
      reason: 'templates/_pod.tpl always mounts its `search` volume (Grafana\'s search index) as `emptyDir: {}`, and without persistence the data volume as well (only the in-memory variant takes a size).',
    },
  ],
  helm: grafanaHelm,
};

/** What the registry assembles from this folder. */
export const registration = {
  component: grafana,
  config: { grafana: configSection(grafanaSchema, GRAFANA_DEFAULTS, GRAFANA_PROFILES) },
  endpoints: GRAFANA_ENDPOINTS,
  names: GRAFANA_NAMES,
} as const;
