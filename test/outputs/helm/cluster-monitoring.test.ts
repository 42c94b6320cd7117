/**
 * The Helm path of cluster monitoring: the prometheus chart's kube-state-metrics and prometheus-node-exporter
 * subcharts run what the manifests run (images, flags, collectors, allow-list, resources, security, node
 * agents in the agents namespace), and Prometheus scrapes them and the cluster with the manifests' jobs,
 * moved onto the subcharts' pod labels and port names.
 */
import type { StackOverrides } from '../../../src/config/types';
import { renderHelm } from '../../../src/outputs/helm';
import type { PrometheusChartValues } from '../../../src/components/prometheus/helm-values';
import type { KubeStateMetricsSubchartValues } from '../../../src/components/kube-state-metrics/helm-values';
import type { NodeExporterSubchartValues } from '../../../src/components/node-exporter/helm-values';
import { prometheusConfigFromValues } from '../../../src/components/prometheus/helm-values';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';

type Json = any;

/**
 * Flags prometheus-node-exporter 4.56.1 writes itself before `extraArgs` (templates/daemonset.yaml, with
 * `hostRootFsMount.enabled` and a node_exporter newer than 1.4).
 */
const CHART_NODE_EXPORTER_FLAGS = ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root', '--path.udev.data=/host/root/run/udev/data'];

/** A manifests probe's timings, Kubernetes' defaults filled in (the subcharts write path and port themselves). */
function probeTimings(p: Json) {
  return { initialDelaySeconds: p.initialDelaySeconds ?? 0, periodSeconds: p.periodSeconds ?? 10, timeoutSeconds: p.timeoutSeconds ?? 1, failureThreshold: p.failureThreshold ?? 3 };
}

function both(profile: 'dev' | 'prod', overrides?: StackOverrides) {
  const build = buildEnv(profile, overrides);
  const values = renderHelm(build).values.get('prometheus') as PrometheusChartValues;
  return { build, cfg: build.env.config, objects: objectsOf(build), values };
}

describe.each(['dev', 'prod'] as const)('%s: the Helm path runs cluster monitoring as the manifests do', (profile) => {
  const { cfg, objects, values } = both(profile, profile === 'prod' ? { nodeExporter: { textfileDirectory: '/var/lib/node-exporter/textfile' } } : undefined);
  const ne = values['prometheus-node-exporter'] as NodeExporterSubchartValues;
  const ksm = values['kube-state-metrics'] as KubeStateMetricsSubchartValues;
  const ds = find(objects, 'DaemonSet', 'node-exporter').spec.template.spec;
  const dep = find(objects, 'Deployment', 'kube-state-metrics').spec.template.spec;

  test('node-exporter: image, flags, env, resources, security, probe timings, grace period and host access', () => {
    const c = ds.containers[0];
    expect(`${ne.image.registry}/${ne.image.repository}:${ne.image.tag}`).toBe(c.image);
    expect([...CHART_NODE_EXPORTER_FLAGS, `--web.listen-address=[$(HOST_IP)]:${ne.service.port}`, ...ne.extraArgs]).toEqual(c.args);
    expect(ne.service.listenOnAllInterfaces).toBe(false);
    expect(Object.entries(ne.env).map(([name, value]) => ({ name, value }))).toEqual(c.env.filter((e: Json) => e.name !== 'HOST_IP'));
    expect(ne.resources).toEqual(JSON.parse(JSON.stringify(c.resources)));
    // `fsGroup: null` removes the subchart's default fsGroup, which the manifests do not set.
    expect(ne.securityContext).toEqual({ fsGroup: null, ...ds.securityContext });
    expect(ne.containerSecurityContext).toEqual(c.securityContext);
    expect(ne.terminationGracePeriodSeconds).toBe(ds.terminationGracePeriodSeconds);
    for (const p of ['livenessProbe', 'readinessProbe'] as const) expect(ne[p]).toEqual(probeTimings(c[p]));
    expect([ne.hostNetwork, ne.hostPID, ne.hostRootFsMount.mountPropagation]).toEqual([ds.hostNetwork, ds.hostPID, 'HostToContainer']);
    expect([ne.nodeSelector, ne.tolerations]).toEqual([ds.nodeSelector, ds.tolerations]);
    expect([ne.namespaceOverride, ne.service.portName]).toEqual([cfg.common.agentNamespace, c.ports[0].name]);
    const textfile = ds.volumes.find((v: Json) => v.name === 'textfile');
    expect(ne.extraHostVolumeMounts).toEqual(textfile ? [{ name: 'textfile', hostPath: textfile.hostPath.path, mountPath: '/host/textfile', readOnly: true, type: 'Directory' }] : []);
  });

  test('kube-state-metrics: image, collectors, allow-list, telemetry port, env, resources, security and probe timings', () => {
    const c = dep.containers[0];
    expect(`${ksm.image.registry}/${ksm.image.repository}:${ksm.image.tag}`).toBe(c.image);
    const arg = (flag: string) => c.args.find((a: string) => a.startsWith(`--${flag}=`)).split('=').slice(1).join('=');
    expect(ksm.collectors.join(',')).toBe(arg('resources'));
    expect(ksm.metricLabelsAllowlist.join(',')).toBe(arg('metric-labels-allowlist'));
    expect([String(ksm.service.port), String(ksm.selfMonitor.telemetryPort)]).toEqual([arg('port'), arg('telemetry-port')]);
    expect(ksm.env).toEqual(c.env);
    expect(ksm.resources).toEqual(JSON.parse(JSON.stringify(c.resources)));
    expect(ksm.securityContext).toEqual({ enabled: true, ...dep.securityContext });
    expect(ksm.containerSecurityContext).toEqual(c.securityContext);
    for (const p of ['livenessProbe', 'readinessProbe'] as const) expect(ksm[p]).toEqual(probeTimings(c[p]));
  });

  test('the same jobs as the manifests, on the subcharts\' pods', () => {
    const helmJobs = prometheusConfigFromValues(values).scrape_configs;
    const manifestJobs = configMapYaml(objects, 'prometheus', 'prometheus.yaml').scrape_configs;
    expect(helmJobs.map((j) => j.job_name)).toEqual(manifestJobs.map((j: Json) => j.job_name));
    const byName = (jobs: Json[], name: string) => jobs.find((j) => j.job_name === name);
    expect(byName(helmJobs, 'node-exporter').kubernetes_sd_configs[0]).toEqual({
      role: 'pod', namespaces: { names: [cfg.common.agentNamespace] }, selectors: [{ role: 'pod', label: 'app.kubernetes.io/name=prometheus-node-exporter' }],
    });
    expect(byName(helmJobs, 'kube-state-metrics').relabel_configs[0]).toMatchObject({ action: 'keep', regex: 'http' });
    for (const name of ['kubelet', 'kubelet-cadvisor', 'kubelet-probes', 'apiserver', 'coredns']) expect(byName(helmJobs, name)).toEqual(byName(manifestJobs, name));
  });
});

test('the subcharts stay off when their components are off', () => {
  const { values } = both('dev', { nodeExporter: { enabled: false }, kubeStateMetrics: { enabled: false } });
  expect([values['kube-state-metrics'], values['prometheus-node-exporter']]).toEqual([{ enabled: false }, { enabled: false }]);
  expect(prometheusConfigFromValues(values).scrape_configs.map((j) => j.job_name)).not.toEqual(expect.arrayContaining(['node-exporter']));
});

test('the images follow common.imageRegistry', () => {
  const { values } = both('dev', { common: { imageRegistry: 'registry.example.com/mirror' } });
  const ne = values['prometheus-node-exporter'] as NodeExporterSubchartValues;
  const ksm = values['kube-state-metrics'] as KubeStateMetricsSubchartValues;
  expect(`${ne.image.registry}/${ne.image.repository}`).toBe('registry.example.com/mirror/prometheus/node-exporter');
  expect(`${ksm.image.registry}/${ksm.image.repository}`).toBe('registry.example.com/mirror/kube-state-metrics/kube-state-metrics');
});
