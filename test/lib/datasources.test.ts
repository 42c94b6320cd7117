import { type DatasourceContribution, datasourceHeaders, linkedDatasourceUids, stackDatasources } from '../../src/lib/datasources';
import type { StackComponent } from '../../src/components/component';
import { buildEndpoints } from '../../src/components/registry';
import { resolveEnvironment } from '../../src/config/resolve';
import { datasourcesOf } from '../support/datasources';

describe('the collected datasources', () => {
  test('one per role served, in role order, the metrics one the default', () => {
    const all = datasourcesOf('dev');
    expect(all.map((d) => [d.role, d.uid])).toEqual([['metrics', 'prometheus'], ['logs', 'loki'], ['traces', 'tempo'], ['alerts', 'alertmanager']]);
    expect(all.filter((d) => d.isDefault === true).map((d) => d.uid)).toEqual(['prometheus']);
  });

  test('every link resolves to a collected datasource, and each role is linked to', () => {
    const all = datasourcesOf('dev');
    const links = all.flatMap((d) => linkedDatasourceUids(d.jsonData));
    expect(new Set(links)).toEqual(new Set(all.map((d) => d.uid)));
  });

  test('a role nobody serves leaves its links out', () => {
    const noTraces = datasourcesOf('dev', { tempo: { enabled: false }, demo: { enabled: false } });
    expect(noTraces.flatMap((d) => linkedDatasourceUids(d.jsonData))).toEqual(['alertmanager']);
    expect(JSON.stringify(noTraces)).not.toContain('exemplarTraceIdDestinations');
    expect(JSON.stringify(noTraces)).not.toContain('derivedFields');
    const noLogs = datasourcesOf('dev', { loki: { enabled: false } });
    expect(noLogs.map((d) => d.uid)).toEqual(['prometheus', 'tempo', 'alertmanager']);
    expect(noLogs.flatMap((d) => linkedDatasourceUids(d.jsonData))).not.toContain('loki');
  });

  test('two components serving one role are refused', () => {
    const cfg = resolveEnvironment({ name: 't', profile: 'dev' }).config;
    const logs = (uid: string): DatasourceContribution => ({ role: 'logs', uid, name: uid, type: 'loki', url: 'http://x:1', jsonData: () => ({}) });
    const component = (id: string): StackComponent<string> => ({ id, enabled: () => true, datasources: () => [logs(id)] });
    expect(() => stackDatasources({ cfg, endpoints: buildEndpoints(cfg), connect: (to) => to }, [component('a'), component('b')]))
      .toThrow('datasources a and b both serve the logs role');
  });
});

describe('linkedDatasourceUids', () => {
  test('finds datasourceUid and alertmanagerUid at any depth, in document order', () => {
    expect(linkedDatasourceUids({ alertmanagerUid: 'am', a: [{ datasourceUid: 'x' }, { b: { datasourceUid: 'y' } }], name: 'datasourceUid' })).toEqual(['am', 'x', 'y']);
    expect(linkedDatasourceUids({ uid: 'not-a-link' })).toEqual([]);
  });
});

describe('datasourceHeaders', () => {
  test('none: nothing', () => {
    expect(datasourceHeaders({})).toEqual({ jsonData: {} });
  });

  test('numbered by sorted name, values in secureJsonData', () => {
    expect(datasourceHeaders({ 'X-B': '2', 'X-A': '1' })).toEqual({
      jsonData: { httpHeaderName1: 'X-A', httpHeaderName2: 'X-B' },
      secureJsonData: { httpHeaderValue1: '1', httpHeaderValue2: '2' },
    });
  });
});
