/**
 * Grafana's datasource provisioning file (`provisioning/datasources/*.yaml`, apiVersion 1) as typed data,
 * with the key names Grafana's provisioning loader and the Prometheus, Loki and Tempo plugins read.
 * Pure: endpoints and settings in, object out; the manifests and the Helm values generator share it.
 *
 * The correlations make every pivot of the debugging loop one click:
 * - metrics -> traces: Prometheus exemplars carrying a trace id open the trace in Tempo;
 * - logs -> traces: a `trace_id` on a log line (structured metadata, or a field in the body) opens the trace;
 * - traces -> logs: a span opens the logs of its service and pod around the span, filtered by trace id;
 * - traces -> metrics: a span opens RED queries on Tempo's span metrics for its service;
 * - service graph and node graph from the metrics-generator's series in Prometheus.
 */
import { TIMEOUTS } from '../../config/sizing';
import type { ExtraDatasourceInput } from './extra-datasources';
import { otlpLabelOf } from '../../lib/otlp';
import { LOG_FIELDS } from '../../lib/signals';
import { DATASOURCE_UIDS } from './endpoints';
// Pure constants only (metric and label names Tempo writes): the RED queries must name exactly those series.
import { SPAN_METRICS as TEMPO_SPAN_METRICS, SPAN_STATUS_ERROR, TEMPO_EXEMPLAR_TRACE_ID_LABEL, TEMPO_METRIC_LABELS } from '../tempo/metrics';

/** A `{key, value}` tag mapping: span/resource attribute `key` becomes label `value` in the target query. */
export interface TagMapping {
  key: string;
  value?: string;
}

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

/** Grafana's Alertmanager datasource (`AlertManagerDataSourceJsonData`). */
export interface AlertmanagerJsonData {
  implementation: 'prometheus' | 'cortex' | 'mimir';
  /** Grafana's HTTP timeout for this datasource, seconds (else `[dataproxy] timeout`). */
  timeout?: number;
  /** Grafana-managed alerts stay in Grafana's own Alertmanager; this one shows the stack's rules' alerts. */
  handleGrafanaManagedAlerts: boolean;
}

export interface LokiDerivedField {
  name: string;
  /** `regex` (default): matched against the log line, exactly one capture group. `label`: the label name. */
  matcherType: 'regex' | 'label';
  matcherRegex: string;
  datasourceUid?: string;
  /** With `datasourceUid`, the query sent to that datasource. */
  url: string;
  urlDisplayLabel?: string;
  targetBlank?: boolean;
}

export interface LokiJsonData {
  maxLines?: number;
  timeout?: number;
  manageAlerts?: boolean;
  derivedFields?: LokiDerivedField[];
  /** `X-Scope-OrgID` for a multi-tenant Loki; the value is `secureJsonData.httpHeaderValue1`. */
  httpHeaderName1?: string;
}

export interface TracesToLogsV2 {
  datasourceUid: string;
  tags: TagMapping[];
  spanStartTimeShift: string;
  spanEndTimeShift: string;
  filterByTraceID: boolean;
  filterBySpanID: boolean;
  customQuery: boolean;
  query?: string;
}

export interface TracesToMetricsQuery {
  name: string;
  query: string;
}

export interface TracesToMetrics {
  datasourceUid: string;
  tags: TagMapping[];
  spanStartTimeShift: string;
  spanEndTimeShift: string;
  queries: TracesToMetricsQuery[];
}

export interface TempoJsonData {
  /** Grafana's HTTP timeout for this datasource, seconds (else `[dataproxy] timeout`). */
  timeout?: number;
  tracesToLogsV2?: TracesToLogsV2;
  tracesToMetrics?: TracesToMetrics;
  serviceMap?: { datasourceUid: string };
  nodeGraph: { enabled: boolean };
  search: { hide: boolean };
  traceQuery?: { timeShiftEnabled: boolean; spanStartTimeShift: string; spanEndTimeShift: string };
  streamingEnabled?: { search: boolean; metrics: boolean };
}

export interface Datasource<T extends string = string, J = unknown> {
  name: string;
  type: T;
  uid: string;
  access: 'proxy';
  orgId: number;
  url: string;
  /** Basic auth with `basicAuthUser` and `secureJsonData.basicAuthPassword`. */
  basicAuth?: boolean;
  basicAuthUser?: string;
  isDefault: boolean;
  editable: boolean;
  jsonData: J;
  secureJsonData?: Record<string, string>;
}

export type AnyDatasource =
  | Datasource<'prometheus', PrometheusJsonData>
  | Datasource<'loki', LokiJsonData>
  | Datasource<'tempo', TempoJsonData>
  | Datasource<'alertmanager', AlertmanagerJsonData>;

export interface DatasourcesFile {
  apiVersion: 1;
  /** Removes provisioned datasources that left the file (a component disabled later). */
  prune: boolean;
  datasources: AnyDatasource[];
}

/** A datasource the user adds (`grafana.extraDatasources`): any plugin type, Grafana's provisioning keys. */
export interface UserDatasource {
  name: string;
  type: string;
  uid: string;
  access: 'proxy';
  orgId: number;
  url?: string;
  user?: string;
  basicAuth?: boolean;
  basicAuthUser?: string;
  isDefault: false;
  editable: false;
  jsonData?: Readonly<Record<string, unknown>>;
  /** `${VAR}` references only (`envReference`). */
  secureJsonData?: Record<string, string>;
}

/** The provisioning file as written: the stack's datasources, then the user's. */
export interface ProvisioningFile extends Omit<DatasourcesFile, 'datasources'> {
  datasources: Array<AnyDatasource | UserDatasource>;
}

/**
 * Grafana's alerting datasources: the Alertmanager (alert groups, silences), and the local Prometheus's
 * rules where the metrics datasource is a long-term store (dashboards never query either).
 */
export const ALERTING_DATASOURCE_UIDS = { alertmanager: 'alertmanager', localRules: 'prometheus-local' } as const;

/**
 * Exemplar labels that carry a trace id: Tempo's metrics-generator writes `traceID` on span-metrics and
 * service-graph histograms; instrumented services use the stack's trace field name (`trace_id`). Grafana
 * links whichever an exemplar has.
 */
export const EXEMPLAR_TRACE_ID_LABELS: readonly string[] = [...new Set([TEMPO_EXEMPLAR_TRACE_ID_LABEL, LOG_FIELDS.traceId])];

/**
 * Span metrics series of Tempo's metrics-generator (remote-written to Prometheus), from Tempo's own
 * constants. `service` is the generator's name for `service.name`, the same as the stack's service label.
 */
export const SPAN_METRICS = {
  calls: TEMPO_SPAN_METRICS.calls,
  latencyBucket: `${TEMPO_SPAN_METRICS.latency}_bucket`,
  statusCodeLabel: TEMPO_METRIC_LABELS.statusCode,
  errorStatus: SPAN_STATUS_ERROR,
  spanNameLabel: TEMPO_METRIC_LABELS.spanName,
} as const;

/**
 * Placeholders Grafana substitutes in correlation queries; `$__tags` expands to the mapped span tags
 * as label matchers (`service="checkout"`). Written here with a single `$`: `datasourcesYaml` doubles every
 * `$` for the provisioning file, because Grafana expands `$VAR` from its environment while loading it.
 */
export const QUERY_PLACEHOLDERS = { tags: '$__tags', valueRaw: '${__value.raw}' } as const;

/**
 * Every query the datasources carry, in one place, so tests can parse each one. PromQL with Grafana's
 * placeholders; substitute `QUERY_PLACEHOLDERS.tags` with a matcher list before parsing.
 */
export const GRAFANA_QUERIES = {
  /** Traces -> metrics (RED on span metrics, for the span's service). */
  tracesToMetrics: [
    {
      name: 'Request rate',
      query: `sum by (${SPAN_METRICS.spanNameLabel}) (rate(${SPAN_METRICS.calls}{${QUERY_PLACEHOLDERS.tags}}[5m]))`,
    },
    {
      name: 'Error rate',
      // The fixed matcher comes first: `{a="b",}` is valid PromQL when `$__tags` expands to nothing.
      query: `sum by (${SPAN_METRICS.spanNameLabel}) (rate(${SPAN_METRICS.calls}{${SPAN_METRICS.statusCodeLabel}="${SPAN_METRICS.errorStatus}",${QUERY_PLACEHOLDERS.tags}}[5m]))`,
    },
    {
      name: 'p95 latency',
      query: `histogram_quantile(0.95, sum by (le) (rate(${SPAN_METRICS.latencyBucket}{${QUERY_PLACEHOLDERS.tags}}[5m])))`,
    },
  ],
} as const satisfies Record<string, readonly TracesToMetricsQuery[]>;

/**
 * Regex fallback for logs whose trace id is only in the line (JSON `"trace_id":"..."` or logfmt
 * `trace_id=...`). Exactly one capture group, as Grafana requires; evaluated by the browser (JS regex).
 */
export const TRACE_ID_LINE_REGEX = `\\b${LOG_FIELDS.traceId}"?\\s*[:=]\\s*"?([0-9a-fA-F]{16,32})\\b`;

/**
 * Custom HTTP headers of a datasource (e.g. Loki's tenant header, decided by the Loki component) in
 * Grafana's numbered form. Header values are not secrets here; Grafana only accepts them in `secureJsonData`.
 */
export function datasourceHeaders(headers: Readonly<Record<string, string>>): { jsonData: Record<string, string>; secureJsonData?: Record<string, string> } {
  const names = Object.keys(headers).sort();
  if (names.length === 0) return { jsonData: {} };
  return {
    jsonData: Object.fromEntries(names.map((n, i) => [`httpHeaderName${i + 1}`, n])),
    secureJsonData: Object.fromEntries(names.map((n, i) => [`httpHeaderValue${i + 1}`, headers[n]])),
  };
}

/** Where a datasource's credentials come from: environment variables of the Grafana container. */
export type DatasourceAuthEnv =
  | { readonly basicAuth: { readonly user: string; readonly passwordEnv: string } }
  | { readonly bearerTokenEnv: string };

export interface DatasourcesInput {
  readonly prometheus: {
    readonly url: string;
    /** Prometheus's scrape interval: the smallest step Grafana should ask for. */
    readonly scrapeInterval: string;
    /** Prometheus version without a leading `v`, e.g. `3.14.0`; unknown for an external store. */
    readonly version?: string;
    /** What serves the queries: the local Prometheus, or a long-term store. @default 'Prometheus' */
    readonly type?: PrometheusJsonData['prometheusType'];
    /** Headers every query carries (e.g. a Mimir tenant). @default - none */
    readonly headers?: Readonly<Record<string, string>>;
    /**
     * Credentials for a long-term store, as the names of environment variables Grafana holds them in
     * (filled from the user's Secret); the provisioning file references them, never the values. @default - none
     */
    readonly auth?: DatasourceAuthEnv;
  };
  /** Present when Loki is deployed. */
  readonly loki?: {
    readonly url: string;
    /** Headers every Loki request carries (the tenant header of a multi-tenant Loki; none otherwise). */
    readonly headers: Readonly<Record<string, string>>;
  };
  /** The user's datasources (`grafana.extraDatasources`), after the stack's. @default - none */
  readonly extra?: readonly ExtraDatasourceInput[];
  /** Present when Tempo is deployed. */
  readonly tempo?: {
    readonly url: string;
    readonly metricsGenerator: boolean;
    /** Tempo serves streaming search and TraceQL metrics over its HTTP port (`stream_over_http_enabled`). */
    readonly streamOverHttp: boolean;
  };
  /** Present when the stack runs an Alertmanager: alert groups and silences in Grafana. */
  readonly alertmanager?: { readonly url: string };
  /**
   * Present when the metrics datasource is a long-term store and alerts are on: the local Prometheus,
   * where the stack's rules run, so Grafana's alert list shows their state.
   */
  readonly localRules?: { readonly url: string; readonly scrapeInterval: string; readonly version: string };
}

/** Traces -> logs/metrics look this far around the span, so logs written just before or after it show up. */
const SPAN_TIME_SHIFT = { start: '-5m', end: '5m' } as const;

/**
 * Span attributes mapped to the stack's shared label names, from the one attribute -> label mapping
 * (`src/lib/otlp.ts`): the service, namespace and pod a span's logs are filtered by.
 */
export const SPAN_TAG_MAPPINGS: readonly TagMapping[] = ['service.name', 'k8s.namespace.name', 'k8s.pod.name'].map((key) => ({ key, value: otlpLabelOf(key) }));

export function renderDatasources(input: DatasourcesInput): DatasourcesFile {
  const { loki, tempo } = input;
  const datasources: AnyDatasource[] = [];
  const promHeaders = datasourceHeaders(input.prometheus.headers ?? {});

  // The UID stays the same whatever serves the metrics, so dashboards and correlations keep working.
  datasources.push({
    name: 'Prometheus',
    type: 'prometheus',
    uid: DATASOURCE_UIDS.prometheus,
    access: 'proxy',
    orgId: 1,
    url: input.prometheus.url,
    isDefault: true,
    editable: false,
    jsonData: {
      httpMethod: 'POST',
      timeInterval: input.prometheus.scrapeInterval,
      // The query's own limit; Grafana's HTTP timeout is longer, so the backend's timeout error arrives (`TIMEOUTS`, src/config/sizing.ts).
      queryTimeout: `${TIMEOUTS.query}s`,
      timeout: TIMEOUTS.grafana,
      prometheusType: input.prometheus.type ?? 'Prometheus',
      ...(input.prometheus.version !== undefined ? { prometheusVersion: input.prometheus.version } : {}),
      cacheLevel: 'Medium',
      // A long-term store holds no rule of the stack (they run in the local Prometheus, `localRules`).
      manageAlerts: true,
      ...(input.alertmanager && !input.localRules ? { alertmanagerUid: ALERTING_DATASOURCE_UIDS.alertmanager } : {}),
      ...promHeaders.jsonData,
      ...(tempo ? {
        exemplarTraceIdDestinations: EXEMPLAR_TRACE_ID_LABELS.map((name) => ({ name, datasourceUid: DATASOURCE_UIDS.tempo, urlDisplayLabel: 'View trace' })),
      } : {}),
    },
    ...(promHeaders.secureJsonData ? { secureJsonData: promHeaders.secureJsonData } : {}),
  });

  if (loki) {
    const header = datasourceHeaders(loki.headers);
    datasources.push({
      name: 'Loki',
      type: 'loki',
      uid: DATASOURCE_UIDS.loki,
      access: 'proxy',
      orgId: 1,
      url: loki.url,
      isDefault: false,
      editable: false,
      jsonData: {
        maxLines: 1000,
        // Above Loki's HTTP write timeout, itself above its query timeout (`TIMEOUTS`, src/config/sizing.ts).
        timeout: TIMEOUTS.grafana,
        manageAlerts: true,
        ...header.jsonData,
        ...(tempo ? {
          derivedFields: [
            // Structured metadata (what the log agents attach): exact, no regex over the line.
            {
              name: LOG_FIELDS.traceId,
              matcherType: 'label',
              matcherRegex: LOG_FIELDS.traceId,
              datasourceUid: DATASOURCE_UIDS.tempo,
              url: QUERY_PLACEHOLDERS.valueRaw,
              urlDisplayLabel: 'View trace',
            },
            // Fallback for lines shipped without structured metadata (other agents, older streams).
            {
              name: 'TraceID',
              matcherType: 'regex',
              matcherRegex: TRACE_ID_LINE_REGEX,
              datasourceUid: DATASOURCE_UIDS.tempo,
              url: QUERY_PLACEHOLDERS.valueRaw,
              urlDisplayLabel: 'View trace',
            },
          ],
        } : {}),
      },
      ...(header.secureJsonData ? { secureJsonData: header.secureJsonData } : {}),
    });
  }

  if (tempo) {
    datasources.push({
      name: 'Tempo',
      type: 'tempo',
      uid: DATASOURCE_UIDS.tempo,
      access: 'proxy',
      orgId: 1,
      url: tempo.url,
      isDefault: false,
      editable: false,
      jsonData: {
        // Above Tempo's HTTP write timeout, itself above its query timeout (`TIMEOUTS`, src/config/sizing.ts).
        timeout: TIMEOUTS.grafana,
        ...(loki ? {
          tracesToLogsV2: {
            datasourceUid: DATASOURCE_UIDS.loki,
            tags: SPAN_TAG_MAPPINGS.map((t) => ({ ...t })),
            spanStartTimeShift: SPAN_TIME_SHIFT.start,
            spanEndTimeShift: SPAN_TIME_SHIFT.end,
            // Grafana builds `{service="...",namespace="...",pod="..."} |= "<trace id>"`: the trace id is in
            // every JSON line, so the line filter finds it whether or not structured metadata was attached.
            filterByTraceID: true,
            filterBySpanID: false,
            customQuery: false,
          },
        } : {}),
        // Span metrics and the service graph exist only when the metrics-generator writes them.
        ...(tempo.metricsGenerator ? {
          tracesToMetrics: {
            datasourceUid: DATASOURCE_UIDS.prometheus,
            // Only labels the span metrics carry (service, and namespace via the generator's dimension mapping).
            tags: [
              { key: 'service.name', value: TEMPO_METRIC_LABELS.service },
              { key: 'k8s.namespace.name', value: TEMPO_METRIC_LABELS.namespace },
            ],
            spanStartTimeShift: SPAN_TIME_SHIFT.start,
            spanEndTimeShift: SPAN_TIME_SHIFT.end,
            queries: GRAFANA_QUERIES.tracesToMetrics.map((q) => ({ ...q })),
          },
          serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
        } : {}),
        nodeGraph: { enabled: true },
        // TraceQL search (the query editor's Search tab).
        search: { hide: false },
        // Trace-by-id lookups search this window around the time range instead of every block.
        traceQuery: { timeShiftEnabled: true, spanStartTimeShift: '-30m', spanEndTimeShift: '30m' },
        // Results arrive progressively; needs `stream_over_http_enabled` in Tempo, else plain HTTP requests.
        streamingEnabled: { search: tempo.streamOverHttp, metrics: tempo.streamOverHttp },
      },
    });
  }

  if (input.localRules) {
    datasources.push({
      name: 'Prometheus (local rules)',
      type: 'prometheus',
      uid: ALERTING_DATASOURCE_UIDS.localRules,
      access: 'proxy',
      orgId: 1,
      url: input.localRules.url,
      isDefault: false,
      editable: false,
      jsonData: {
        httpMethod: 'POST',
        timeInterval: input.localRules.scrapeInterval,
        queryTimeout: `${TIMEOUTS.query}s`,
        timeout: TIMEOUTS.grafana,
        prometheusType: 'Prometheus',
        prometheusVersion: input.localRules.version,
        manageAlerts: true,
        ...(input.alertmanager ? { alertmanagerUid: ALERTING_DATASOURCE_UIDS.alertmanager } : {}),
      },
    });
  }
  if (input.alertmanager) {
    datasources.push({
      name: 'Alertmanager',
      type: 'alertmanager',
      uid: ALERTING_DATASOURCE_UIDS.alertmanager,
      access: 'proxy',
      orgId: 1,
      url: input.alertmanager.url,
      isDefault: false,
      editable: false,
      jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false, timeout: TIMEOUTS.grafana },
    });
  }

  return { apiVersion: 1, prune: true, datasources };
}

/**
 * The provisioning file as written: every `$` of the rendered data doubled (`escapeEnvExpansion`), then the
 * credential references added, the only `${VAR}` Grafana expands. A basic-auth password becomes
 * `secureJsonData.basicAuthPassword`; a bearer token one more custom header, `Authorization: Bearer ...`.
 */
export function datasourcesProvisioning(input: DatasourcesInput): ProvisioningFile {
  const file = escapeEnvExpansion(renderDatasources(input));
  const auth = input.prometheus.auth;
  const extra = (input.extra ?? []).map(userDatasource);
  if (auth === undefined) return extra.length > 0 ? { ...file, datasources: [...file.datasources, ...extra] } : file;
  return {
    ...file,
    datasources: [...file.datasources.map((ds) => {
      // The store's credentials go to the metrics datasource only (not the local rules' Prometheus).
      if (ds.type !== 'prometheus' || ds.uid !== DATASOURCE_UIDS.prometheus) return ds;
      if ('basicAuth' in auth) {
        return {
          ...ds,
          basicAuth: true,
          basicAuthUser: escapeEnvExpansion(auth.basicAuth.user),
          secureJsonData: { ...ds.secureJsonData, basicAuthPassword: envReference(auth.basicAuth.passwordEnv) },
        };
      }
      const n = Object.keys(ds.jsonData).filter((k) => /^httpHeaderName\d+$/.test(k)).length + 1;
      return {
        ...ds,
        jsonData: { ...ds.jsonData, [`httpHeaderName${n}`]: 'Authorization' },
        secureJsonData: { ...ds.secureJsonData, [`httpHeaderValue${n}`]: `Bearer ${envReference(auth.bearerTokenEnv)}` },
      };
    }), ...extra],
  };
}

/** One of the user's datasources as provisioned: `$` doubled in what they wrote, secrets as `${VAR}` references. */
function userDatasource({ spec, secureEnv }: ExtraDatasourceInput): UserDatasource {
  const secure = Object.keys(secureEnv).sort();
  return {
    ...escapeEnvExpansion({
      name: spec.name,
      type: spec.type,
      uid: spec.uid,
      access: 'proxy' as const,
      orgId: 1,
      ...(spec.url !== undefined ? { url: spec.url } : {}),
      ...(spec.user !== undefined ? { user: spec.user } : {}),
      ...(spec.basicAuth !== undefined ? { basicAuth: true, basicAuthUser: spec.basicAuth.username } : {}),
      isDefault: false as const,
      editable: false as const,
      ...(spec.jsonData !== undefined ? { jsonData: JSON.parse(JSON.stringify(spec.jsonData)) as Record<string, unknown> } : {}),
    }),
    ...(secure.length > 0 ? { secureJsonData: Object.fromEntries(secure.map((k) => [k, envReference(secureEnv[k])])) } : {}),
  };
}

/** A reference Grafana's provisioning expands from its environment. */
export function envReference(name: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`internal: ${name} is not an environment variable name`);
  return `\${${name}}`;
}

/** Deeply doubles every `$` in string values: Grafana expands `$VAR`/`${VAR}` from the environment in provisioning files. */
export function escapeEnvExpansion<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$') as T;
  if (Array.isArray(value)) return value.map((v) => escapeEnvExpansion(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeEnvExpansion(v)])) as T;
  }
  return value;
}

/** Every datasource UID a correlation in `file` points at (for consistency checks). */
export function referencedDatasourceUids(file: DatasourcesFile): string[] {
  const uids: string[] = [];
  for (const ds of file.datasources) {
    if (ds.type === 'prometheus') for (const d of ds.jsonData.exemplarTraceIdDestinations ?? []) if (d.datasourceUid) uids.push(d.datasourceUid);
    if (ds.type === 'loki') for (const d of ds.jsonData.derivedFields ?? []) if (d.datasourceUid) uids.push(d.datasourceUid);
    if (ds.type === 'tempo') {
      const j = ds.jsonData;
      if (j.tracesToLogsV2) uids.push(j.tracesToLogsV2.datasourceUid);
      if (j.tracesToMetrics) uids.push(j.tracesToMetrics.datasourceUid);
      if (j.serviceMap) uids.push(j.serviceMap.datasourceUid);
    }
  }
  return uids;
}
