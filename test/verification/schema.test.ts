import { checkSchema, formatProblems, loadK8sSchema } from '../support/checks';
import { CONFIG_LABELS, configNamed } from './configs';
import { brokenObjects } from './helpers';

describe('Kubernetes 1.28 schema, strict', () => {
  it('reads the 1.28 field table from cdk8s-plus-28', () => {
    const s = loadK8sSchema();
    expect(s.kinds.get('apps/v1/StatefulSet')).toBeDefined();
    expect(s.types.get('Container')?.has('imagePullPolicy')).toBe(true);
  });

  it.each(CONFIG_LABELS)('%s: every object validates', (label) => {
    const problems = checkSchema(configNamed(label).objects);
    expect(formatProblems(problems)).toBe('');
  });

  it('fails on a misspelled container field, naming object and JSON path', () => {
    const objects = brokenObjects('StatefulSet', 'prometheus', (o) => {
      o.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    });
    const problems = checkSchema(objects);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ check: 'schema', object: 'StatefulSet observability/prometheus', path: '/spec/template/spec/containers/0/imagePullPolicyy' });
    expect(problems[0].message).toContain('imagePullPolicy');
  });

  it('fails on a misspelled pod field (securityContex)', () => {
    const problems = checkSchema(brokenObjects('DaemonSet', 'cadvisor', (o) => {
      o.spec.template.spec.securityContex = o.spec.template.spec.securityContext;
    }));
    expect(problems.map((p) => p.path)).toEqual(['/spec/template/spec/securityContex']);
    expect(problems[0].object).toBe('DaemonSet observability-agents/cadvisor');
  });

  it('fails on an unknown field inside a map value type, an array item and the top level', () => {
    const problems = checkSchema(brokenObjects('StatefulSet', 'prometheus', (o) => {
      o.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '1Gi'; // still valid
      o.spec.volumeClaimTemplates[0].spec.storageClass = 'x';
      o.spec.template.spec.volumes[0].configMap.nmae = 'x';
      o.status2 = {};
    }));
    expect(problems.map((p) => p.path).sort()).toEqual([
      '/spec/template/spec/volumes/0/configMap/nmae',
      '/spec/volumeClaimTemplates/0/spec/storageClass',
      '/status2',
    ]);
  });

  it('fails on a wrong type and on a missing required field', () => {
    const problems = checkSchema(brokenObjects('Service', 'prometheus', (o) => {
      o.spec.ports[0].port = '9090';
      delete o.spec.ports[0].port;
      o.spec.ports.push({ name: 'x', port: 'eighty' });
    }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ object: 'Service observability/prometheus', path: '/spec/ports/0', message: expect.stringContaining('required property') }),
      expect.objectContaining({ path: '/spec/ports/1/port', message: expect.stringContaining('integer') }),
    ]));
  });

  it('accepts apiVersion and kind on an embedded whole object (a volumeClaimTemplate), and nowhere else', () => {
    const ok = checkSchema(brokenObjects('StatefulSet', 'prometheus', (o) => {
      Object.assign(o.spec.volumeClaimTemplates[0], { apiVersion: 'v1', kind: 'PersistentVolumeClaim' });
    }));
    expect(ok).toEqual([]);
    const bad = checkSchema(brokenObjects('StatefulSet', 'prometheus', (o) => { o.spec.template.spec.containers[0].kind = 'Container'; }));
    expect(bad.map((p) => p.path)).toEqual(['/spec/template/spec/containers/0/kind']);
  });

  it('fails on a kind Kubernetes 1.28 does not serve', () => {
    const problems = checkSchema(brokenObjects('ConfigMap', 'prometheus', (o) => { o.apiVersion = 'v2'; }));
    expect(problems).toEqual([expect.objectContaining({ path: '/apiVersion', object: 'ConfigMap observability/prometheus' })]);
  });
});
