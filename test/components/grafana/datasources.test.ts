import { datasourcesProvisioning, escapeEnvExpansion, renderDatasources } from '../../../src/components/grafana/datasources';
import { datasourcesOf, referencedDatasourceUids } from '../../support/datasources';

describe('the provisioning file', () => {
  test('the collected datasources in Grafana\'s keys, in their order, pruned when they leave', () => {
    const file = renderDatasources(datasourcesOf('dev'));
    expect(file).toMatchObject({ apiVersion: 1, prune: true });
    expect(file.datasources.map((d) => [d.uid, d.type, d.name])).toEqual([
      ['prometheus', 'prometheus', 'Prometheus'], ['loki', 'loki', 'Loki'], ['tempo', 'tempo', 'Tempo'], ['alertmanager', 'alertmanager', 'Alertmanager'],
    ]);
    expect(Object.keys(file.datasources[0])).toEqual(['name', 'type', 'uid', 'access', 'orgId', 'url', 'isDefault', 'editable', 'jsonData']);
    expect(file.datasources.map((d) => d.isDefault)).toEqual([true, false, false, false]);
    expect([...new Set(referencedDatasourceUids(file))].sort()).toEqual(['alertmanager', 'loki', 'prometheus', 'tempo']);
  });

  test('a long-term store\'s credentials go to the metrics datasource only, as references', () => {
    const all = datasourcesOf('dev', { grafana: { metricsDatasource: { url: 'https://mimir.example.com/prometheus', type: 'Mimir' } } });
    const file = datasourcesProvisioning({ datasources: all, metricsAuth: { bearerTokenEnv: 'TOKEN' } });
    const withAuth = file.datasources.filter((d) => JSON.stringify(d).includes('${TOKEN}')).map((d) => d.uid);
    expect(withAuth).toEqual(['prometheus']);
  });
});

describe('escapeEnvExpansion', () => {
  test('doubles every $ in strings, deeply, and leaves other values alone', () => {
    expect(escapeEnvExpansion({ a: ['${__value.raw}', 1, true], b: { c: '{$__tags}' }, d: null })).toEqual({
      a: ['$${__value.raw}', 1, true], b: { c: '{$$__tags}' }, d: null,
    });
  });
});
