import { checkCorrelation, checkDatasourceUids, formatProblems } from '../support/checks';
import { toYaml } from '../../src/lib/yaml';
import type { KubeObject } from '../support/synth';
import { CONFIG_LABELS, configNamed } from './configs';
import { brokenObjects } from './helpers';

function datasources(doc: object): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'grafana-datasources', namespace: 'observability' }, data: { 'datasources.yaml': toYaml(doc) } };
}

describe('correlation prerequisites', () => {
  it.each(CONFIG_LABELS)('%s: every prerequisite is set and every datasource UID exists', (label) => {
    expect(formatProblems(checkCorrelation(configNamed(label).objects))).toBe('');
  });

  it('fails when Prometheus lacks the remote-write receiver or exemplar storage', () => {
    const problems = checkCorrelation(brokenObjects('StatefulSet', 'prometheus', (o) => {
      const c = o.spec.template.spec.containers[0];
      c.args = c.args.filter((a: string) => a !== '--web.enable-remote-write-receiver' && a !== '--enable-feature=exemplar-storage');
      c.args.push('--enable-feature=native-histograms');
    }));
    expect(problems.map((p) => p.message).sort()).toEqual(['Prometheus lacks --enable-feature=exemplar-storage', 'Prometheus lacks --web.enable-remote-write-receiver']);
  });

  it('accepts exemplar-storage among several comma-separated features', () => {
    const problems = checkCorrelation(brokenObjects('StatefulSet', 'prometheus', (o) => {
      const c = o.spec.template.spec.containers[0];
      c.args = c.args.map((a: string) => (a === '--enable-feature=exemplar-storage' ? '--enable-feature=native-histograms,exemplar-storage' : a));
    }));
    expect(problems).toEqual([]);
  });

  const good = {
    apiVersion: 1,
    datasources: [
      { name: 'Prometheus', uid: 'prometheus', type: 'prometheus', jsonData: { exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: 'tempo' }] } },
      { name: 'Tempo', uid: 'tempo', type: 'tempo', jsonData: { tracesToLogsV2: { datasourceUid: 'loki' } } },
      { name: 'Loki', uid: 'loki', type: 'loki', jsonData: { derivedFields: [{ name: 'TraceID', datasourceUid: 'tempo' }] } },
    ],
  };

  it('accepts links between provisioned datasources', () => {
    expect(checkDatasourceUids([datasources(good)])).toEqual([]);
  });

  it('fails when a datasourceUid names no provisioned datasource, at any depth', () => {
    const broken = JSON.parse(JSON.stringify(good));
    broken.datasources[2].jsonData.derivedFields[0].datasourceUid = 'tempoo';
    const problems = checkDatasourceUids([datasources(broken)]);
    expect(problems).toEqual([expect.objectContaining({
      object: 'ConfigMap observability/grafana-datasources',
      path: '/data/datasources.yaml#/datasources/2/jsonData/derivedFields/0/datasourceUid',
      message: expect.stringContaining('"tempoo"'),
    })]);
  });

  it('fails when a provisioned datasource has no uid', () => {
    const broken = JSON.parse(JSON.stringify(good));
    delete broken.datasources[0].uid;
    expect(checkDatasourceUids([datasources(broken)]).map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringContaining('"Prometheus" has no uid')]));
  });
});
