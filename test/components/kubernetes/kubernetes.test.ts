import { CLUSTER_JOBS } from '../../../src/components/kubernetes/kubernetes';
import type { StackOverrides } from '../../../src/config/types';
import { sourceMetricNames } from '../../../src/lib/metrics-catalog';
import { ALL_ENVIRONMENTS, synthEverything } from '../../support/environments';
import { errorOf } from '../../support/config-errors';
import { buildEnv, configMapYaml, objectsOf } from '../../support/synth';

type Json = any;
const jobs = (overrides?: StackOverrides): Json[] => configMapYaml(objectsOf(buildEnv('dev', overrides)), 'prometheus', 'prometheus.yaml').scrape_configs;
const job = (name: string, overrides?: StackOverrides): Json => jobs(overrides).find((j) => j.job_name === name);
const keep = (j: Json) => j.metric_relabel_configs[0];
const SA = { token: '/var/run/secrets/kubernetes.io/serviceaccount/token', ca: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' };

describe('the cluster\'s own components as scrape targets', () => {
  test.each([
    [CLUSTER_JOBS.kubelet, '/metrics', 'kubelet'],
    [CLUSTER_JOBS.kubeletCadvisor, '/metrics/cadvisor', 'kubelet-cadvisor'],
    [CLUSTER_JOBS.kubeletProbes, '/metrics/probes', 'kubelet-probes'],
  ] as const)('%s: each node\'s kubelet over HTTPS with the ServiceAccount token, node name as node and instance', (name, path, source) => {
    const j = job(name);
    expect([j.scheme, j.metrics_path, j.kubernetes_sd_configs]).toEqual(['https', path, [{ role: 'node' }]]);
    expect(j.authorization).toEqual({ credentials_file: SA.token });
    // kubeadm, kind and k3s kubelets serve self-signed certificates.
    expect(j.tls_config).toEqual({ insecure_skip_verify: true });
    expect(j.relabel_configs.map((r: Json) => [r.source_labels[0], r.target_label])).toEqual([['__meta_kubernetes_node_name', 'node'], ['__meta_kubernetes_node_name', 'instance']]);
    expect(keep(j)).toEqual({ source_labels: ['__name__'], regex: sourceMetricNames(source).join('|'), action: 'keep' });
  });

  test('verifies the kubelet with the cluster CA when its certificates are signed by it', () => {
    expect(job(CLUSTER_JOBS.kubelet, { kubernetes: { kubelet: { insecureSkipVerify: false } } }).tls_config).toEqual({ ca_file: SA.ca });
  });

  test('uses scrape time for the kubelet\'s cAdvisor and drops cgroups that are no pod\'s', () => {
    const j = job(CLUSTER_JOBS.kubeletCadvisor);
    expect(j.honor_timestamps).toBe(false);
    expect(j.metric_relabel_configs[1]).toEqual({ source_labels: ['pod', 'id'], separator: ';', regex: ';/.+', action: 'drop' });
  });

  test('scrapes each API server behind the kubernetes Service, verified against the cluster CA', () => {
    const j = job(CLUSTER_JOBS.apiServer);
    expect(j.kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { names: ['default'] } }]);
    expect(j.relabel_configs).toEqual([{ source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'], separator: ';', regex: 'kubernetes;https', action: 'keep' }]);
    expect(j.tls_config).toEqual({ ca_file: SA.ca, server_name: 'kubernetes.default.svc' });
    expect(keep(j).regex).not.toContain('apiserver_request_duration_seconds_bucket');
  });

  test('scrapes the CoreDNS pods networkPolicy.dns names, on the metrics port, without a token', () => {
    const j = job(CLUSTER_JOBS.coredns, { networkPolicy: { dns: { namespace: 'dns', podSelector: { app: 'coredns', tier: 'dns' } } } });
    expect(j.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: ['dns'] }, selectors: [{ role: 'pod', label: 'app=coredns,tier=dns' }] }]);
    expect(j.relabel_configs[0]).toEqual({ source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: '9153', action: 'keep' });
    expect([j.scheme, j.authorization]).toEqual(['http', undefined]);
  });

  test.each([
    [{ kubernetes: { kubelet: { metrics: false } } }, CLUSTER_JOBS.kubelet],
    [{ kubernetes: { kubelet: { cadvisor: false } } }, CLUSTER_JOBS.kubeletCadvisor],
    [{ kubernetes: { kubelet: { probes: false } } }, CLUSTER_JOBS.kubeletProbes],
    [{ kubernetes: { apiServer: { enabled: false } } }, CLUSTER_JOBS.apiServer],
    [{ kubernetes: { coredns: { enabled: false } } }, CLUSTER_JOBS.coredns],
  ])('switches each job off on its own (%#)', (overrides, name) => {
    const names = jobs(overrides as StackOverrides).map((j) => j.job_name);
    expect(names).not.toContain(name);
    expect(names.length).toBe(jobs().length - 1);
  });

  test('records no wire and grants nothing when nothing of the cluster is scraped', () => {
    const build = buildEnv('dev', { kubernetes: { kubelet: { metrics: false, cadvisor: false, probes: false }, apiServer: { enabled: false }, coredns: { enabled: false } } });
    expect(build.wires.filter((w) => ['kubelet', 'kube-apiserver', 'coredns'].includes(w.to.component))).toEqual([]);
  });

  test('never grants nodes/proxy, in any environment', () => {
    const result = synthEverything();
    expect(ALL_ENVIRONMENTS.length).toBeGreaterThan(2);
    for (const [path, text] of result.files) expect([path, text.includes('nodes/proxy')]).toEqual([path, false]);
  });

  test.each([
    [{ kubernetes: { coredns: { port: 70000 } } }, /kubernetes\.coredns\.port: 70000 is not a port/],
    [{ kubernetes: { runbookBaseUrl: 'runbooks/' } }, /kubernetes\.runbookBaseUrl: "runbooks\/" is not an http\(s\) URL/],
    [{ kubernetes: { kubelet: { insecureSkipVerify: 'no' } } }, /kubernetes\.kubelet\.insecureSkipVerify: "no" must be true or false/],
    [{ networkPolicy: { nodes: { cidrs: ['10.0.0.0'] } } }, /networkPolicy\.nodes\.cidrs\[0\]: "10\.0\.0\.0" is not a CIDR/],
    [{ networkPolicy: { nodes: { cidrs: [] } } }, /networkPolicy\.nodes\.cidrs: \[\] must list at least one CIDR/],
  ])('fails on bad config %#, naming the path, the value and the fix', (overrides, message) => {
    expect(errorOf(overrides as StackOverrides)).toMatch(message);
  });
});
