/** Grafana as a stack component: datasources for the deployed stores, the stack's dashboards, an optional Ingress. */
import { lokiQueryEndpoint } from '../loki/endpoints';
import type { StackComponent } from '../component';
import { withExtraDashboards } from './extra-dashboards';
import { renderServicesDashboard } from './services-dashboard';
import { grafanaDatasourcesFor, localRulesDatasource } from './datasource-inputs';
import { Grafana, grafanaScrapeTarget } from './grafana';
import { grafanaExternalEndpoints } from './external';
import { grafanaReadme } from './readme';
import { GRAFANA_METRICS } from './metrics';
import { alertmanagerDeployed } from '../alertmanager';
import { grafanaHelm } from './helm';
import { grafanaUserSecrets } from './secrets';

export { grafanaDatasourcesFor, localRulesDatasource };

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
      // Datasources only for the components that are deployed; each URL is the wired endpoint's.
      datasources: grafanaDatasourcesFor(cfg, {
        // A long-term store configured as the metrics datasource is an external endpoint (src/lib/external.ts).
        prometheus: cfg.grafana.metricsDatasource.url === ''
          ? wire('grafana', endpoints.prometheus.http, 'query', 'queries metrics (Prometheus datasource)')
          : undefined,
        loki: cfg.loki.enabled ? wire('grafana', lokiQueryEndpoint(endpoints), 'query', 'queries logs (Loki datasource)') : undefined,
        tempo: cfg.tempo.enabled ? wire('grafana', endpoints.tempo.http, 'query', 'queries traces (Tempo datasource)') : undefined,
        alertmanager: alertmanagerDeployed(cfg) ? wire('grafana', endpoints.alertmanager.http, 'http', 'reads alerts, manages silences (Alertmanager datasource)') : undefined,
        localRules: localRulesDatasource(cfg)
          ? wire('grafana', endpoints.prometheus.http, 'query', 'reads the local rules\' state (Prometheus (local rules) datasource)')
          : undefined,
      }),
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
