/**
 * Prometheus's Grafana datasources: the metrics role, served by the local Prometheus or by the long-term
 * store it remote-writes to (`grafana.metricsDatasource`, under the same uid so dashboards and correlations
 * keep working), and next to such a store the local Prometheus again for the state of the stack's rules.
 */
import { TIMEOUTS } from '../../config/sizing';
import type { StackConfig } from '../../config/types';
import { type DatasourceContext, type DatasourceContribution, datasourceHeaders } from '../../lib/datasources';
import { LOG_FIELDS } from '../../lib/signals';
// Pure constants only (the exemplar label Tempo's metrics-generator writes on the series it sends here).
import { TEMPO_EXEMPLAR_TRACE_ID_LABEL } from '../tempo/metrics';
import { LOCAL_RULES_DATASOURCE, PROMETHEUS_DATASOURCE } from './endpoints';

export interface ExemplarTraceIdDestination {
  /** Exemplar label that holds the trace id. */
  name: string;
  datasourceUid?: string;
  url?: string;
  urlDisplayLabel?: string;
}

export interface PrometheusJsonData {
  httpMethod: 'GET' | 'POST';
  timeInterval: string;
  /** Sent to Prometheus as the query's `timeout` (capped by its `--query.timeout`). */
  queryTimeout?: string;
  /** Grafana's HTTP timeout for this datasource, seconds (else `[dataproxy] timeout`). */
  timeout?: number;
  prometheusType: 'Prometheus' | 'Cortex' | 'Mimir' | 'Thanos';
  prometheusVersion?: string;
  cacheLevel?: 'Low' | 'Medium' | 'High' | 'None';
  manageAlerts?: boolean;
  /** The Alertmanager that receives this datasource's alerts (Grafana links its rules to it). */
  alertmanagerUid?: string;
  exemplarTraceIdDestinations?: ExemplarTraceIdDestination[];
}

/**
 * Exemplar labels that carry a trace id: Tempo's metrics-generator writes `traceID` on span-metrics and
 * service-graph histograms; instrumented services use the stack's trace field name (`trace_id`). Grafana
 * links whichever an exemplar has.
 */
const EXEMPLAR_TRACE_ID_LABELS: readonly string[] = [...new Set([TEMPO_EXEMPLAR_TRACE_ID_LABEL, LOG_FIELDS.traceId])];

/**
 * Whether Grafana gets the local Prometheus as a second datasource for its rules: the metrics
 * datasource is a long-term store, whose ruler has none of the stack's rules (they run locally).
 */
function localRulesDatasource(cfg: StackConfig): boolean {
  return cfg.grafana.metricsDatasource.url !== '' && cfg.alerts.enabled;
}

export function prometheusDatasources({ cfg, endpoints, connect }: DatasourceContext): DatasourceContribution[] {
  const external = cfg.grafana.metricsDatasource;
  const version = cfg.prometheus.image.tag.replace(/^v/, '');
  /** How both datasources query: the smallest step is the scrape interval; the version only when known. */
  const queryBasics = (server: { type: PrometheusJsonData['prometheusType']; version?: string }) => ({
    httpMethod: 'POST' as const,
    timeInterval: cfg.prometheus.scrapeInterval,
    // The query's own limit; Grafana's HTTP timeout is longer, so the backend's timeout error arrives (`TIMEOUTS`, src/config/sizing.ts).
    queryTimeout: `${TIMEOUTS.query}s`,
    timeout: TIMEOUTS.grafana,
    prometheusType: server.type,
    ...(server.version !== undefined ? { prometheusVersion: server.version } : {}),
  });
  const headers = datasourceHeaders(external.url !== '' ? external.headers : {});
  const metrics: DatasourceContribution = {
    ...PROMETHEUS_DATASOURCE,
    // A long-term store (Mimir, Thanos, ...) is an external endpoint of Grafana (src/lib/external.ts).
    url: external.url !== '' ? external.url : connect(endpoints.prometheus.http, 'query', 'queries metrics (Prometheus datasource)').url,
    isDefault: true,
    jsonData: (uidOf): PrometheusJsonData & Record<string, unknown> => {
      const traces = uidOf('traces');
      const alerts = uidOf('alerts');
      return {
        ...queryBasics(external.url !== '' ? { type: external.type } : { type: 'Prometheus', version }),
        cacheLevel: 'Medium',
        // A long-term store holds no rule of the stack (they run in the local Prometheus, the rules role).
        manageAlerts: true,
        ...(alerts !== undefined && uidOf('rules') === undefined ? { alertmanagerUid: alerts } : {}),
        ...headers.jsonData,
        ...(traces !== undefined ? {
          exemplarTraceIdDestinations: EXEMPLAR_TRACE_ID_LABELS.map((name) => ({ name, datasourceUid: traces, urlDisplayLabel: 'View trace' })),
        } : {}),
      };
    },
    ...(headers.secureJsonData ? { secureJsonData: headers.secureJsonData } : {}),
  };
  if (!localRulesDatasource(cfg)) return [metrics];
  const localRules: DatasourceContribution = {
    ...LOCAL_RULES_DATASOURCE,
    url: connect(endpoints.prometheus.http, 'query', 'reads the local rules\' state (Prometheus (local rules) datasource)').url,
    jsonData: (uidOf): PrometheusJsonData & Record<string, unknown> => {
      const alerts = uidOf('alerts');
      return {
        ...queryBasics({ type: 'Prometheus', version }),
        manageAlerts: true,
        ...(alerts !== undefined ? { alertmanagerUid: alerts } : {}),
      };
    },
  };
  return [metrics, localRules];
}
