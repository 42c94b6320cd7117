import { checkReferences, formatProblems } from '../support/checks';
import { userSecrets } from '../../src/lib/user-secrets';
import { CONFIG_LABELS, configNamed } from './configs';
import { brokenObjects, clone } from './helpers';

describe('references between objects', () => {
  it.each(CONFIG_LABELS)('%s: every reference resolves', (label) => {
    const c = configNamed(label);
    expect(formatProblems(checkReferences(c.objects, c.userSecrets))).toBe('');
  });

  const maxSecrets = () => configNamed('verify-maximal').userSecrets;

  it('fails when a Service selects no pod template', () => {
    const problems = checkReferences(brokenObjects('Service', 'prometheus', (o) => { o.spec.selector['app.kubernetes.io/name'] = 'prometheus-typo'; }), maxSecrets());
    expect(problems).toEqual([expect.objectContaining({ object: 'Service observability/prometheus', path: '/spec/selector' })]);
  });

  it('fails when a mounted ConfigMap does not exist', () => {
    const problems = checkReferences(brokenObjects('StatefulSet', 'prometheus', (o) => { o.spec.template.spec.volumes[0].configMap.name = 'missing'; }), maxSecrets());
    expect(problems).toEqual([expect.objectContaining({ path: '/spec/template/spec/volumes/0/configMap/name', message: expect.stringContaining('ConfigMap observability/missing') })]);
  });

  it('fails when a container mounts a volume that is not declared', () => {
    const problems = checkReferences(brokenObjects('StatefulSet', 'prometheus', (o) => { o.spec.template.spec.containers[0].volumeMounts[0].name = 'nope'; }), maxSecrets());
    expect(problems.map((p) => p.path)).toEqual(['/spec/template/spec/containers/0/volumeMounts/0/name']);
  });

  it('fails when a ServiceAccount, PVC, Secret or env ConfigMap key is missing', () => {
    let n = 0;
    const problems = checkReferences(brokenObjects('StatefulSet', 'prometheus', (o) => {
      const spec = o.spec.template.spec;
      n = spec.volumes.length;
      spec.serviceAccountName = 'ghost';
      spec.volumes.push({ name: 'claim', persistentVolumeClaim: { claimName: 'no-such-claim' } });
      spec.volumes.push({ name: 'creds', secret: { secretName: 'not-a-user-secret' } });
      spec.containers[0].env = [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'prometheus', key: 'no-such-key' } } }];
    }), maxSecrets());
    expect(problems.map((p) => p.path).sort()).toEqual([
      '/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef',
      '/spec/template/spec/serviceAccountName',
      `/spec/template/spec/volumes/${n}/persistentVolumeClaim/claimName`,
      `/spec/template/spec/volumes/${n + 1}/secret/secretName`,
    ].sort());
    expect(problems.find((p) => p.path.endsWith('secretName'))!.message).toContain('userSecrets()');
  });

  it('accepts the Secrets userSecrets() lists, and only those', () => {
    const c = configNamed('verify-maximal');
    expect(userSecrets(c.config).map((s) => `${s.namespace}/${s.name}`)).toEqual(expect.arrayContaining([
      'observability/grafana-admin', 'observability/grafana-tls', 'observability/regcred', 'observability-agents/regcred',
    ]));
    // pull secrets are referenced by every pod: without the userSecrets list they are unresolved
    const problems = checkReferences(c.objects, []);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.path.includes('imagePullSecrets') || p.path.includes('secret') || p.path.includes('tls'))).toBe(true);
  });

  it('fails when a StatefulSet names a Service that does not exist', () => {
    const problems = checkReferences(brokenObjects('StatefulSet', 'prometheus', (o) => { o.spec.serviceName = 'prometheus-headless'; }), maxSecrets());
    expect(problems).toEqual([expect.objectContaining({ object: 'StatefulSet observability/prometheus', path: '/spec/serviceName', message: expect.stringContaining('Service observability/prometheus-headless') })]);
  });

  it('fails when a binding points at a missing role or ServiceAccount', () => {
    const problems = checkReferences(brokenObjects('ClusterRoleBinding', 'observability-prometheus', (o) => {
      o.roleRef.name = 'nope';
      o.subjects[0].name = 'nobody';
    }), maxSecrets());
    expect(problems.map((p) => p.path).sort()).toEqual(['/roleRef', '/subjects/0']);
  });

  it('fails when a namespaced object lives in a namespace the output does not create, or has none', () => {
    const objects = clone(configNamed('verify-minimal').objects);
    objects.find((o) => o.kind === 'ConfigMap')!.metadata.namespace = 'elsewhere';
    delete objects.find((o) => o.kind === 'ServiceAccount')!.metadata.namespace;
    const problems = checkReferences(objects, []);
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: '/metadata/namespace', message: expect.stringContaining('"elsewhere" is not created') }),
      expect.objectContaining({ path: '/metadata/namespace', message: expect.stringContaining('has no namespace') }),
    ]));
  });

  it('fails when an Ingress backend or TLS Secret is missing', () => {
    const objects = clone(configNamed('verify-minimal').objects);
    objects.push({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'grafana', namespace: 'observability' },
      spec: { tls: [{ hosts: ['g.example.com'], secretName: 'tls' }], rules: [{ host: 'g.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'prometheus', port: { name: 'web' } } } }] } }] },
    });
    const problems = checkReferences(objects, []);
    expect(problems.map((p) => p.path).sort()).toEqual(['/spec/rules/0/http/paths/0/backend/service/port', '/spec/tls/0/secretName']);
  });
});
