/** Which datasources Grafana gets and where each points, shared by its chart and its Helm values. */
import type { StackConfig } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import { lokiTenantHeaders } from '../loki/endpoints';
import type { DatasourcesInput } from './datasources';
import { extraDatasourceEnv } from './extra-datasources';
import { metricsDatasourceCredentials } from './grafana';

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
