import { KUBE_STATE_METRICS_RESOURCES } from '../../../src/components/kube-state-metrics/kube-state-metrics';
import type { StackOverrides } from '../../../src/config/types';
import { errorOf } from '../../support/config-errors';
import { restrictedViolations, podTemplates } from '../../support/security';
import { buildEnv, configMapYaml, find, objectsOf, type KubeObject } from '../../support/synth';

const chart = (overrides?: StackOverrides): KubeObject[] => buildEnv('dev', overrides).charts.find((c) => c.node.id === 'kube-state-metrics')!.toJson() as KubeObject[];
const container = () => find(chart(), 'Deployment', 'kube-state-metrics', 'observability').spec.template.spec.containers[0];

describe('kube-state-metrics', () => {
  test('collects exactly the resources the dashboards and alerts read, with the service labels allowed on pods', () => {
    expect(container().args).toEqual([
      '--port=8080',
      '--telemetry-port=8081',
      '--resources=daemonsets,deployments,jobs,nodes,persistentvolumeclaims,persistentvolumes,pods,replicasets,statefulsets',
      '--metric-labels-allowlist=pods=[app.kubernetes.io/name,app]',
    ]);
    expect(container().image).toBe('registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0');
  });

  test('gets read-only RBAC on exactly those resources: list and watch, nothing else', () => {
    const role = find(chart(), 'ClusterRole', 'observability-kube-state-metrics');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods'], verbs: ['list', 'watch'] },
      { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: ['list', 'watch'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list', 'watch'] },
    ]);
    const granted = role.rules.flatMap((r: { resources: string[] }) => r.resources).sort();
    expect(granted).toEqual(KUBE_STATE_METRICS_RESOURCES.map((r) => r.resource).sort());
    expect(find(chart(), 'ClusterRoleBinding', 'observability-kube-state-metrics').subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-state-metrics', namespace: 'observability' }]);
  });

  test('meets the restricted Pod Security level and mounts its API token', () => {
    const [t] = podTemplates(chart());
    expect(restrictedViolations(t)).toEqual([]);
    expect(t.spec.automountServiceAccountToken).toBe(true);
    expect(container().livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http-metrics', scheme: 'HTTP' });
    expect(container().readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http-telemetry', scheme: 'HTTP' });
  });

  test('is scraped without the scraped pod\'s namespace and pod, which would overwrite the objects\'', () => {
    const job = configMapYaml(objectsOf(buildEnv('dev')), 'prometheus', 'prometheus.yaml').scrape_configs.find((j: { job_name: string }) => j.job_name === 'kube-state-metrics');
    expect(job.relabel_configs.filter((r: { target_label?: string }) => r.target_label)).toEqual([]);
    expect(job.relabel_configs[0]).toMatchObject({ action: 'keep', regex: 'http-metrics' });
  });

  test('can be switched off: no chart, no scrape job, no rule or dashboard reading it', () => {
    const objects = objectsOf(buildEnv('dev', { kubeStateMetrics: { enabled: false } }));
    expect(objects.some((o) => o.metadata.name === 'kube-state-metrics')).toBe(false);
    expect(Object.values(find(objects, 'ConfigMap', 'prometheus-rules').data).join('\n')).not.toMatch(/\bkube_[a-z]/);
    expect(objects.some((o) => o.metadata.name === 'grafana-dashboard-kubernetes-workloads')).toBe(false);
  });

  test.each([
    [{ kubeStateMetrics: { telemetryPort: 8080 } }, /kubeStateMetrics\.telemetryPort: 8080 equals kubeStateMetrics\.port \(both listen in the same pod\); use two ports/],
    [{ kubeStateMetrics: { port: 70000 } }, /kubeStateMetrics\.port: 70000 is not an unprivileged port/],
    [{ kubeStateMetrics: { resources: { requests: { cpu: '2' } } } }, /kubeStateMetrics\.resources\.requests\.cpu: "2" is more than limits\.cpu/],
  ])('fails on bad config %#, naming the path, the value and the fix', (overrides, message) => {
    expect(errorOf(overrides as StackOverrides)).toMatch(message);
  });
});
