/** Grafana as a stack component: datasources for the deployed stores, the stack's dashboards, an optional Ingress. */
import type { StackConfig } from '../../config/types';
import { lokiQueryEndpoint, type Endpoint } from '../../lib/endpoints';
import type { StackComponent } from '../component';
import { grafanaExternalEndpoints } from './external';
import { grafanaReadme } from './readme';
import { GRAFANA_METRICS } from './metrics';
import { dashboardsFor } from '../dashboards';
import { withExtraDashboards } from '../dashboards/extra';
import { lokiTenantHeaders } from '../loki/loki-config';
import { stackJobs } from '../prometheus/jobs';
import type { DatasourcesInput } from './datasources';
import { extraDatasourceEnv } from './extra-datasources';
import { Grafana, grafanaScrapeTarget, metricsDatasourceCredentials } from './grafana';
import { alertmanagerDeployed } from '../alertmanager';

export const grafana: StackComponent = {
  id: 'grafana',
  enabled: (cfg) => cfg.grafana.enabled,
  metricSources: [GRAFANA_METRICS],
  pods: (cfg) => cfg.grafana.pods,
  externalEndpoints: grafanaExternalEndpoints,
  readme: grafanaReadme,
  scrapeTargets: ({ endpoints }, scrape) => [grafanaScrapeTarget(scrape(endpoints.grafana.http))],
  build: ({ scope, env, cfg, labeler, endpoints, wire, scrapeTargets }) => {
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
      dashboards: withExtraDashboards(env, dashboardsFor(cfg, stackJobs(scrapeTargets))),
    });
  },
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
};

/**
 * Grafana's datasources: only for the components that are deployed (`loki`/`tempo` given), each URL the
 * endpoint's (the manifests' or the Helm installation's).
 */
export function grafanaDatasourcesFor(
  cfg: StackConfig,
  eps: {
    readonly prometheus?: Endpoint; readonly loki?: Endpoint; readonly tempo?: Endpoint;
    readonly alertmanager?: Endpoint; readonly localRules?: Endpoint;
  },
): DatasourcesInput {
  const external = cfg.grafana.metricsDatasource;
  if (external.url === '' && eps.prometheus === undefined) throw new Error('internal: the Prometheus datasource needs an endpoint');
  return {
    prometheus: external.url !== ''
      // A long-term store (Mimir, Thanos, ...) instead of the local Prometheus, under the same UID.
      ? { url: external.url, scrapeInterval: cfg.prometheus.scrapeInterval, type: external.type, headers: external.headers, auth: metricsDatasourceCredentials(external).auth }
      : { url: eps.prometheus!.url, scrapeInterval: cfg.prometheus.scrapeInterval, version: cfg.prometheus.image.tag.replace(/^v/, '') },
    ...(eps.loki ? {
      loki: {
        url: eps.loki.url,
        // The same tenant decision the log agents use.
        headers: lokiTenantHeaders(cfg.loki.tenant),
      },
    } : {}),
    ...(cfg.grafana.extraDatasources.length > 0 ? { extra: extraDatasourceEnv(cfg.grafana.extraDatasources).inputs } : {}),
    ...(eps.tempo ? {
      tempo: {
        url: eps.tempo.url,
        metricsGenerator: cfg.tempo.metricsGenerator,
        // Tempo's config sets stream_over_http_enabled (a Grafana test checks the two agree).
        streamOverHttp: true,
      },
    } : {}),
    ...(eps.alertmanager ? { alertmanager: { url: eps.alertmanager.url } } : {}),
    ...(eps.localRules ? { localRules: { url: eps.localRules.url, scrapeInterval: cfg.prometheus.scrapeInterval, version: cfg.prometheus.image.tag.replace(/^v/, '') } } : {}),
  };
}

/**
 * Whether Grafana gets the local Prometheus as a second datasource for its rules: the metrics
 * datasource is a long-term store, whose ruler has none of the stack's rules (they run locally).
 */
export function localRulesDatasource(cfg: StackConfig): boolean {
  return cfg.grafana.metricsDatasource.url !== '' && cfg.alerts.enabled;
}
