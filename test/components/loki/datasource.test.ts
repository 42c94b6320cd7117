import { TRACE_ID_LINE_REGEX } from '../../../src/components/loki/datasource';
import { LOKI_TENANT_HEADER } from '../../../src/components/loki/loki-config';
import { LOG_FIELDS } from '../../../src/lib/signals';
import { QUERY_PLACEHOLDERS } from '../../../src/lib/datasources';
import { datasource, datasourcesOf } from '../../support/datasources';

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

describe('Loki datasource', () => {
  test('logs -> traces: the trace id label, then the line regex, open the traces datasource', () => {
    const loki = datasource(datasourcesOf('dev'), 'loki');
    expect(loki.role).toBe('logs');
    expect(loki.jsonData.derivedFields).toEqual([
      { name: LOG_FIELDS.traceId, matcherType: 'label', matcherRegex: LOG_FIELDS.traceId, datasourceUid: 'tempo', url: QUERY_PLACEHOLDERS.valueRaw, urlDisplayLabel: 'View trace' },
      { name: 'TraceID', matcherType: 'regex', matcherRegex: TRACE_ID_LINE_REGEX, datasourceUid: 'tempo', url: QUERY_PLACEHOLDERS.valueRaw, urlDisplayLabel: 'View trace' },
    ]);
  });

  test('no tenant header for a single-tenant Loki', () => {
    const loki = datasource(datasourcesOf('dev'), 'loki');
    expect(loki.jsonData).not.toHaveProperty('httpHeaderName1');
    expect(loki).not.toHaveProperty('secureJsonData');
  });

  test('X-Scope-OrgID with the tenant when one is set', () => {
    const loki = datasource(datasourcesOf('dev', { loki: { tenant: 'team-a' } }), 'loki');
    expect(loki.jsonData).toMatchObject({ httpHeaderName1: LOKI_TENANT_HEADER });
    expect(loki.secureJsonData).toEqual({ httpHeaderValue1: 'team-a' });
  });
});
