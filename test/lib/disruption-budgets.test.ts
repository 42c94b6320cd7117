import { App, Chart } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { addDisruptionBudgets } from '../../src/lib/kube';
import { buildEnv, find, objectsOf, workloads, type KubeObject } from '../support/synth';
import { MAXIMAL_OVERRIDES } from '../support/maximal';
import { missingDisruptionBudgets } from '../support/security';

function chartWith(kind: 'Deployment' | 'StatefulSet', replicas: number | undefined): Chart {
  const chart = new Chart(new App(), 'c', { disableResourceNameHashes: true });
  const selector = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'dev' };
  const spec = { replicas, selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } };
  if (kind === 'Deployment') new k8s.KubeDeployment(chart, 'D', { metadata: { name: 'web', namespace: 'ns', labels: { ...selector, team: 'x' } }, spec });
  else new k8s.KubeStatefulSet(chart, 'S', { metadata: { name: 'web', namespace: 'ns', labels: selector }, spec: { ...spec, serviceName: 'web' } });
  return chart;
}

describe('PodDisruptionBudgets', () => {
  test.each(['Deployment', 'StatefulSet'] as const)('are added for a %s with more than one replica', (kind) => {
    const chart = chartWith(kind, 3);
    addDisruptionBudgets(chart);
    const objects = chart.toJson() as KubeObject[];
    const pdb = find(objects, 'PodDisruptionBudget', 'web', 'ns');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'dev' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(missingDisruptionBudgets(objects)).toEqual([]);
  });

  test.each([1, undefined])('are not added for a single replica (replicas: %s), which a budget would only block drains for', (replicas) => {
    const chart = chartWith('Deployment', replicas);
    expect(addDisruptionBudgets(chart)).toEqual([]);
    expect((chart.toJson() as KubeObject[]).map((o) => o.kind)).toEqual(['Deployment']);
  });

  test('the invariant check fails on a replicated workload without a budget', () => {
    const objects = chartWith('Deployment', 2).toJson() as KubeObject[];
    expect(missingDisruptionBudgets(objects)).toEqual(['Deployment ns/web has 2 replicas and no PodDisruptionBudget']);
  });

  test.each([['dev', {}], ['prod', {}], ['dev', MAXIMAL_OVERRIDES], ['prod', MAXIMAL_OVERRIDES]] as const)('cover every replicated workload of %s (%#)', (profile, overrides) => {
    expect(missingDisruptionBudgets(objectsOf(buildEnv(profile, overrides)))).toEqual([]);
  });
});

describe('PriorityClass', () => {
  test('is referenced by every pod and created only when asked', () => {
    const off = objectsOf(buildEnv('prod', { common: { priorityClassName: 'observability-critical' } }));
    expect(off.filter((o) => o.kind === 'PriorityClass')).toEqual([]);
    for (const w of workloads(off)) expect(w.spec.template.spec.priorityClassName).toBe('observability-critical');

    const on = objectsOf(buildEnv('prod', { common: { priorityClassName: 'observability-critical', priorityClass: { create: true } } }));
    const pc = find(on, 'PriorityClass', 'observability-critical');
    expect(pc).toMatchObject({ apiVersion: 'scheduling.k8s.io/v1', value: 1000000, preemptionPolicy: 'Never', globalDefault: false });
    // Created with the namespaces, before any pod that names it.
    expect(on.findIndex((o) => o.kind === 'PriorityClass')).toBeLessThan(on.findIndex((o) => workloads([o]).length > 0));
  });
});
