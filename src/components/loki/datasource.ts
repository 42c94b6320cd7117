/**
 * Loki's Grafana datasource (the logs role): logs -> traces, a `trace_id` on a log line (structured
 * metadata, or a field in the body) opens the trace in the traces datasource.
 */
import { TIMEOUTS } from '../../config/sizing';
import { type DatasourceContext, type DatasourceContribution, QUERY_PLACEHOLDERS, datasourceHeaders } from '../../lib/datasources';
import { LOG_FIELDS } from '../../lib/signals';
import { LOKI_DATASOURCE, lokiQueryEndpoint, lokiTenantHeaders } from './endpoints';

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

/**
 * Regex fallback for logs whose trace id is only in the line (JSON `"trace_id":"..."` or logfmt
 * `trace_id=...`). Exactly one capture group, as Grafana requires; evaluated by the browser (JS regex).
 */
export const TRACE_ID_LINE_REGEX = `\\b${LOG_FIELDS.traceId}"?\\s*[:=]\\s*"?([0-9a-fA-F]{16,32})\\b`;

export function lokiDatasources({ cfg, endpoints, connect }: DatasourceContext): DatasourceContribution[] {
  // The same tenant decision the log agents use.
  const header = datasourceHeaders(lokiTenantHeaders(cfg.loki.tenant));
  return [{
    ...LOKI_DATASOURCE,
    url: connect(lokiQueryEndpoint(endpoints), 'query', 'queries logs (Loki datasource)').url,
    jsonData: (uidOf): LokiJsonData & Record<string, unknown> => {
      const traces = uidOf('traces');
      return {
        maxLines: 1000,
        // Above Loki's HTTP write timeout, itself above its query timeout (`TIMEOUTS`, src/config/sizing.ts).
        timeout: TIMEOUTS.grafana,
        manageAlerts: true,
        ...header.jsonData,
        ...(traces !== undefined ? {
          derivedFields: [
            // Structured metadata (what the log agents attach): exact, no regex over the line.
            {
              name: LOG_FIELDS.traceId,
              matcherType: 'label',
              matcherRegex: LOG_FIELDS.traceId,
              datasourceUid: traces,
              url: QUERY_PLACEHOLDERS.valueRaw,
              urlDisplayLabel: 'View trace',
            },
            // Fallback for lines shipped without structured metadata (other agents, older streams).
            {
              name: 'TraceID',
              matcherType: 'regex',
              matcherRegex: TRACE_ID_LINE_REGEX,
              datasourceUid: traces,
              url: QUERY_PLACEHOLDERS.valueRaw,
              urlDisplayLabel: 'View trace',
            },
          ],
        } : {}),
      };
    },
    ...(header.secureJsonData ? { secureJsonData: header.secureJsonData } : {}),
  }];
}
