import { type DatasourceContribution, datasourceHeaders, linkedDatasourceUids, stackDatasourceIdentities, stackDatasources } from '../../src/lib/datasources';
import type { Endpoint } from '../../src/lib/endpoints';
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
    const component = (id: string): StackComponent<string> => ({ id, enabled: () => true, datasources: { identities: [logs(id)], contribute: () => [logs(id)] } });
    expect(() => stackDatasources({ cfg, endpoints: buildEndpoints(cfg), connect: (to) => to }, [component('a'), component('b')]))
      .toThrow('datasources a and b both serve the logs role');
  });

  test('a contribution that is not one of its component\'s declared identities is refused', () => {
    const cfg = resolveEnvironment({ name: 't', profile: 'dev' }).config;
    const logs = (uid: string, name = uid): DatasourceContribution => ({ role: 'logs', uid, name, type: 'loki', url: 'http://x:1', jsonData: () => ({}) });
    const ctx = { cfg, endpoints: buildEndpoints(cfg), connect: (to: Endpoint) => to };
    const component = (declared: DatasourceContribution, given: DatasourceContribution): StackComponent<string> =>
      ({ id: 'a', enabled: () => true, datasources: { identities: [declared], contribute: () => [given] } });
    expect(stackDatasources(ctx, [component(logs('a'), logs('a'))]).map((d) => d.uid)).toEqual(['a']);
    expect(() => stackDatasources(ctx, [component(logs('a'), logs('b'))])).toThrow('component a contributes datasource b, which is not one of its declared identities');
    expect(() => stackDatasources(ctx, [component(logs('a'), logs('a', 'Other name'))])).toThrow('not one of its declared identities');
  });

  test('the stack\'s identities: one role, uid and name each', () => {
    const ids = stackDatasourceIdentities();
    for (const key of ['role', 'uid', 'name'] as const) expect(new Set(ids.map((d) => d[key])).size).toBe(ids.length);
    expect(ids.map((d) => d.uid).sort()).toEqual(['alertmanager', 'loki', 'prometheus', 'prometheus-local', 'tempo']);
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
