import { App, Chart } from 'cdk8s';
import { clusterRoleServiceAccount, nodeAgentDaemonSetSpec } from '../../src/lib/kube';
import type { KubeObject } from '../support/synth';

describe('clusterRoleServiceAccount', () => {
  const chart = new Chart(new App(), 'c', { disableResourceNameHashes: true });
  const labels = { 'app.kubernetes.io/name': 'agent' };
  const rules = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }];
  const sa = clusterRoleServiceAccount(chart, 'agent', 'team-a', labels, rules);
  const objects = chart.toJson() as KubeObject[];

  test('creates the ServiceAccount, the ClusterRole and its binding, in that order', () => {
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
    expect(sa.name).toBe('agent');
  });

  test('names the cluster-scoped objects <namespace>-<name> so two stacks on one cluster do not collide', () => {
    const [account, role, binding] = objects;
    expect(account.metadata).toEqual({ name: 'agent', namespace: 'team-a', labels });
    expect(role.metadata).toEqual({ name: 'team-a-agent', labels });
    expect(role.rules).toEqual(rules);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'team-a-agent' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'agent', namespace: 'team-a' }]);
  });

  test('does not mount the token by default (the pod that calls the API asks for it)', () => {
    expect(objects[0].automountServiceAccountToken).toBe(false);
  });
});

describe('nodeAgentDaemonSetSpec', () => {
  const selector = { 'app.kubernetes.io/name': 'agent' };
  const spec = nodeAgentDaemonSetSpec(selector, { metadata: { labels: selector }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } });

  test('runs on every node, tainted ones included, and rolls one node at a time', () => {
    expect(spec.selector).toEqual({ matchLabels: selector });
    expect(spec.template.spec?.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(spec.updateStrategy?.type).toBe('RollingUpdate');
    expect(spec.updateStrategy?.rollingUpdate?.maxUnavailable?.value).toBe(1);
  });

  test('keeps the pod spec it is given', () => {
    expect(spec.template.metadata).toEqual({ labels: selector });
    expect(spec.template.spec?.containers).toEqual([{ name: 'agent', image: 'agent:1' }]);
  });
});
