import { parser } from '@prometheus-io/lezer-promql';
import {
  GRAFANA_QUERIES, QUERY_PLACEHOLDERS, SPAN_METRICS, TRACE_ID_LINE_REGEX, escapeEnvExpansion,
  datasourceHeaders, referencedDatasourceUids, renderDatasources, type DatasourcesInput,
} from '../../../src/components/grafana/datasources';
import { LOKI_TENANT_HEADER, lokiTenantHeaders } from '../../../src/components/loki/loki-config';
import { TEMPO_EXEMPLAR_TRACE_ID_LABEL } from '../../../src/components/tempo/tempo-config';
import { LOG_FIELDS } from '../../../src/lib/signals';
import { DATASOURCE_UIDS } from '../../../src/components/grafana/endpoints';

const FULL: DatasourcesInput = {
  prometheus: { url: 'http://prometheus.obs.svc:9090', scrapeInterval: '30s', version: '3.14.0' },
  loki: { url: 'http://loki.obs.svc:3100', headers: {} },
  tempo: { url: 'http://tempo.obs.svc:3200', metricsGenerator: true, streamOverHttp: true },
};

/** PromQL syntax errors found by the Prometheus UI's own grammar. */
function promqlErrors(query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter: (n) => {
      if (n.type.isError) errors.push(`error at ${n.from}: ${JSON.stringify(query.slice(Math.max(0, n.from - 10), n.to + 10))}`);
    },
  });
  return errors;
}

describe('Grafana queries', () => {
  const all = Object.values(GRAFANA_QUERIES).flat();

  test.each(all.map((q) => [q.name, q.query]))('%s is valid PromQL with the tags placeholder expanded or empty', (_name, query) => {
    expect(query).toContain(QUERY_PLACEHOLDERS.tags);
    expect(promqlErrors(query.replace(QUERY_PLACEHOLDERS.tags, 'service="checkout",namespace="shop"'))).toEqual([]);
    expect(promqlErrors(query.replace(QUERY_PLACEHOLDERS.tags, ''))).toEqual([]);
  });

  test('RED queries read Tempo span metrics', () => {
    const text = all.map((q) => q.query).join('\n');
    expect(text).toContain(SPAN_METRICS.calls);
    expect(text).toContain(SPAN_METRICS.latencyBucket);
    expect(text).toContain(`${SPAN_METRICS.statusCodeLabel}="${SPAN_METRICS.errorStatus}"`);
  });

  test('the provisioned datasources carry exactly the exported queries', () => {
    const tempo = renderDatasources(FULL).datasources.find((d) => d.type === 'tempo');
    expect(tempo?.type === 'tempo' && tempo.jsonData.tracesToMetrics?.queries).toEqual(GRAFANA_QUERIES.tracesToMetrics);
  });
});

describe('trace id regex fallback', () => {
  const re = new RegExp(TRACE_ID_LINE_REGEX);
  const id = '4bf92f3577b34da6a3ce929d0e0e4736';

  test('has exactly one capture group (Grafana uses group 1)', () => {
    expect(new RegExp(`${TRACE_ID_LINE_REGEX}|`).exec('')!.length - 1).toBe(1);
  });

  test.each([
    ['JSON', `{"level":"info","msg":"done","trace_id":"${id}","span_id":"00f067aa0ba902b7"}`],
    ['JSON with spaces', `{"trace_id": "${id}"}`],
    ['logfmt', `level=info trace_id=${id} msg=done`],
  ])('finds the trace id in a %s line', (_kind, line) => {
    expect(re.exec(line)?.[1]).toBe(id);
  });

  test('does not match other ids or fields ending in trace_id', () => {
    expect(re.exec(`{"span_id":"00f067aa0ba902b7"}`)).toBeNull();
    expect(re.exec(`{"parent_trace_id":"${id}"}`)).toBeNull();
  });
});

describe('Loki tenant header', () => {
  test('none for a single-tenant Loki', () => {
    expect(datasourceHeaders(lokiTenantHeaders(''))).toEqual({ jsonData: {} });
    const loki = renderDatasources(FULL).datasources.find((d) => d.type === 'loki')!;
    expect(loki.jsonData).not.toHaveProperty('httpHeaderName1');
    expect(loki).not.toHaveProperty('secureJsonData');
  });

  test('X-Scope-OrgID with the tenant when one is set', () => {
    const loki = renderDatasources({ ...FULL, loki: { url: FULL.loki!.url, headers: lokiTenantHeaders('team-a') } }).datasources.find((d) => d.type === 'loki')!;
    expect(loki.jsonData).toMatchObject({ httpHeaderName1: LOKI_TENANT_HEADER });
    expect(loki.secureJsonData).toEqual({ httpHeaderValue1: 'team-a' });
  });
});

describe('datasources per deployed component', () => {
  const types = (input: DatasourcesInput) => renderDatasources(input).datasources.map((d) => d.type);

  test('all three with every correlation when everything is deployed', () => {
    const file = renderDatasources(FULL);
    expect(types(FULL)).toEqual(['prometheus', 'loki', 'tempo']);
    expect(file.datasources.map((d) => d.uid)).toEqual([DATASOURCE_UIDS.prometheus, DATASOURCE_UIDS.loki, DATASOURCE_UIDS.tempo]);
    expect(file.datasources.filter((d) => d.isDefault).map((d) => d.type)).toEqual(['prometheus']);
    expect([...new Set(referencedDatasourceUids(file))].sort()).toEqual(['loki', 'prometheus', 'tempo']);
  });

  test('without Tempo: no trace links anywhere', () => {
    const file = renderDatasources({ ...FULL, tempo: undefined });
    expect(types({ ...FULL, tempo: undefined })).toEqual(['prometheus', 'loki']);
    expect(referencedDatasourceUids(file)).toEqual([]);
    expect(JSON.stringify(file)).not.toContain('exemplarTraceIdDestinations');
    expect(JSON.stringify(file)).not.toContain('derivedFields');
  });

  test('without Loki: Tempo has no traces-to-logs link', () => {
    const file = renderDatasources({ ...FULL, loki: undefined });
    expect(types({ ...FULL, loki: undefined })).toEqual(['prometheus', 'tempo']);
    expect(referencedDatasourceUids(file)).not.toContain('loki');
  });

  test('without the metrics-generator: no span-metrics queries and no service graph', () => {
    const file = renderDatasources({ ...FULL, tempo: { ...FULL.tempo!, metricsGenerator: false } });
    const tempo = file.datasources.find((d) => d.type === 'tempo')!;
    expect(tempo.jsonData).not.toHaveProperty('tracesToMetrics');
    expect(tempo.jsonData).not.toHaveProperty('serviceMap');
    expect(tempo.jsonData).toMatchObject({ nodeGraph: { enabled: true }, tracesToLogsV2: { datasourceUid: 'loki' } });
  });
});

describe('Prometheus exemplars', () => {
  test('link both Tempo\'s exemplar label and the services\' trace field to Tempo', () => {
    const prom = renderDatasources(FULL).datasources.find((d) => d.type === 'prometheus')!;
    expect(prom.type === 'prometheus' && prom.jsonData.exemplarTraceIdDestinations).toEqual([
      { name: TEMPO_EXEMPLAR_TRACE_ID_LABEL, datasourceUid: DATASOURCE_UIDS.tempo, urlDisplayLabel: 'View trace' },
      { name: LOG_FIELDS.traceId, datasourceUid: DATASOURCE_UIDS.tempo, urlDisplayLabel: 'View trace' },
    ]);
  });
});

describe('Tempo streaming', () => {
  test.each([true, false])('streamingEnabled follows stream_over_http_enabled=%s', (on) => {
    const tempo = renderDatasources({ ...FULL, tempo: { ...FULL.tempo!, streamOverHttp: on } }).datasources.find((d) => d.type === 'tempo')!;
    expect(tempo.jsonData).toMatchObject({ streamingEnabled: { search: on, metrics: on } });
  });
});

describe('escapeEnvExpansion', () => {
  test('doubles every $ in strings, deeply, and leaves other values alone', () => {
    expect(escapeEnvExpansion({ a: ['${__value.raw}', 1, true], b: { c: '{$__tags}' }, d: null })).toEqual({
      a: ['$${__value.raw}', 1, true], b: { c: '{$$__tags}' }, d: null,
    });
  });
});
