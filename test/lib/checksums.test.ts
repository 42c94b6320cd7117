import { App, Chart } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { addConfigChecksums, configMapsReadBy } from '../../src/lib/checksums';

/** A chart with ConfigMaps `a` and `b` and one Deployment reading what `podSpec` says. */
function chartWith(podSpec: Partial<k8s.PodSpec>, data: { a?: Record<string, string>; b?: Record<string, string> } = {}): Chart {
  const chart = new Chart(new App({ outdir: '.unused' }), 'c', { disableResourceNameHashes: true });
  new k8s.KubeConfigMap(chart, 'A', { metadata: { name: 'a', namespace: 'ns' }, data: data.a ?? { 'a.yaml': 'x: 1' } });
  new k8s.KubeConfigMap(chart, 'B', { metadata: { name: 'b', namespace: 'ns' }, data: data.b ?? { 'b.yaml': 'y: 2' } });
  new k8s.KubeDeployment(chart, 'D', {
    metadata: { name: 'd', namespace: 'ns' },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' }, annotations: { keep: 'me' } }, spec: { containers: [{ name: 'c', image: 'i:1' }], ...podSpec } },
    },
  });
  addConfigChecksums(chart);
  return chart;
}
const annotations = (chart: Chart) => (chart.toJson().find((o) => o.kind === 'Deployment') as { spec: { template: { metadata: { annotations?: Record<string, string> } } } })
  .spec.template.metadata.annotations;

describe('addConfigChecksums', () => {
  const volumeA = { volumes: [{ name: 'v', configMap: { name: 'a' } }] };

  test('GIVEN a pod reading ConfigMap a THEN its checksum changes with a\'s data and not with b\'s', () => {
    const base = annotations(chartWith(volumeA))!['checksum/config'];
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(annotations(chartWith(volumeA, { a: { 'a.yaml': 'x: 2' } }))!['checksum/config']).not.toBe(base);
    expect(annotations(chartWith(volumeA, { b: { 'b.yaml': 'y: 3' } }))!['checksum/config']).toBe(base);
  });

  test('keeps the pod\'s other annotations', () => {
    expect(annotations(chartWith(volumeA))!.keep).toBe('me');
  });

  test('a pod that reads no ConfigMap gets no checksum', () => {
    expect(annotations(chartWith({}))).toEqual({ keep: 'me' });
  });

  test('finds ConfigMaps in volumes, projected volumes, envFrom and env', () => {
    expect(configMapsReadBy({
      volumes: [{ configMap: { name: 'v' } }, { projected: { sources: [{ configMap: { name: 'p1' } }, { configMap: { name: 'p2' } }] } }],
      containers: [{ envFrom: [{ configMapRef: { name: 'f' } }], env: [{ valueFrom: { configMapKeyRef: { name: 'e' } } }] }],
      initContainers: [{ envFrom: [{ configMapRef: { name: 'i' } }] }],
    })).toEqual(['e', 'f', 'i', 'p1', 'p2', 'v']);
  });
});
