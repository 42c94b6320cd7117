import { App, Chart } from 'cdk8s';
import { BASE } from '../../src/config/defaults';
import type { ObjectStorageSpec, StorageSpec } from '../../src/config/types';
import { buildEndpoints } from '../../src/components/registry';
import { httpProbe } from '../../src/lib/kube';
import { dataStatefulSet, objectStorePodTemplate, type ObjectStorePodProps } from '../../src/lib/stateful-server';
import type { KubeObject } from '../support/synth';

const selector = { 'app.kubernetes.io/name': 'store' };
const labels = { ...selector, 'app.kubernetes.io/version': '1.0' };

function statefulSet(storage: StorageSpec, replicas: number): KubeObject {
  const chart = new Chart(new App(), 'c', { disableResourceNameHashes: true });
  dataStatefulSet(chart, 'StatefulSet', {
    name: 'store', namespace: 'obs', labels, selector, replicas, serviceName: 'store', storage, common: BASE.common,
    template: (dataVolumes) => ({ metadata: { labels }, spec: { containers: [{ name: 'store', image: 'store:1' }], volumes: dataVolumes } }),
  });
  return (chart.toJson() as KubeObject[])[0];
}

describe('dataStatefulSet', () => {
  test('persistent: a claim template named data, labelled with the selector only (claim templates are immutable), kept on delete and scale-down', () => {
    const sts = statefulSet({ persistent: true, size: '10Gi' }, 1);
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    expect(sts.spec.volumeClaimTemplates[0].metadata).toEqual({ name: 'data', labels: selector });
    expect(sts.spec.template.spec.volumes ?? []).toEqual([]);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  test('not persistent: the template gets a size-capped emptyDir named data and there is no claim template', () => {
    const sts = statefulSet({ persistent: false, size: '2Gi' }, 1);
    expect(sts.spec.volumeClaimTemplates).toEqual([]);
    expect(sts.spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: { sizeLimit: '2Gi' } }]);
  });

  test('starts replicas of a ring in parallel, a single replica in order', () => {
    expect(statefulSet({ persistent: true, size: '1Gi' }, 3).spec.podManagementPolicy).toBe('Parallel');
    expect(statefulSet({ persistent: true, size: '1Gi' }, 1).spec.podManagementPolicy).toBe('OrderedReady');
  });
});

describe('objectStorePodTemplate', () => {
  const http = buildEndpoints(BASE).loki.http;
  const props = (objectStorage: ObjectStorageSpec): ObjectStorePodProps => ({
    name: 'store', image: { repository: 'example/store', tag: '1.0' }, common: BASE.common, uid: 10001,
    paths: { configDir: '/etc/store', configFile: 'store.yaml', dataDir: '/var/store', tmpDir: '/tmp' },
    configMapName: 'store', serviceAccountName: 'store', objectStorage, labels, selector, replicas: 1,
    resources: BASE.loki.resources, args: ['-target=all'], ports: [http], terminationGracePeriodSeconds: 60,
    probes: { startupProbe: httpProbe('/ready', http.portName), readinessProbe: httpProbe('/ready', http.portName), livenessProbe: httpProbe('/metrics', http.portName) },
    volumes: [],
  });
  const s3: ObjectStorageSpec = {
    ...BASE.loki.objectStorage, type: 's3', bucket: 'store-bucket', endpoint: 'https://s3.example.com', region: 'eu-west-1',
    credentials: { ...BASE.loki.objectStorage.credentials, secretName: 'store-s3' },
  };

  test('the config file comes first, the caller\'s arguments after it; env expansion only when credentials are ${VAR} references', () => {
    expect(objectStorePodTemplate(props(BASE.loki.objectStorage)).spec?.containers[0].args).toEqual(['-config.file=/etc/store/store.yaml', '-target=all']);
    expect(objectStorePodTemplate(props(s3)).spec?.containers[0].args).toEqual(['-config.file=/etc/store/store.yaml', '-target=all', '-config.expand-env=true']);
  });

  test('GOMEMLIMIT first, then the Secret-backed credentials, never an inline secret value', () => {
    const env = objectStorePodTemplate(props(s3)).spec?.containers[0].env ?? [];
    expect(env[0].name).toBe('GOMEMLIMIT');
    expect(env.slice(1).length).toBeGreaterThan(0);
    for (const e of env.slice(1)) expect(e.valueFrom?.secretKeyRef?.name).toBe('store-s3');
  });

  test('restricted, config/data/tmp mounted at the given paths', () => {
    const pod = objectStorePodTemplate(props(BASE.loki.objectStorage));
    expect(pod.spec?.securityContext?.runAsUser).toBe(10001);
    expect(pod.spec?.containers[0].securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(pod.spec?.containers[0].volumeMounts?.map((m) => [m.name, m.mountPath])).toEqual([['config', '/etc/store'], ['data', '/var/store'], ['tmp', '/tmp']]);
    expect(pod.spec?.volumes?.[0]).toEqual({ name: 'config', configMap: { name: 'store' } });
  });
});
