import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';
import { effectiveRetentionSize } from '../../../src/components/prometheus/prometheus';
import { BASE } from '../../../src/config/defaults';
import { ANNOTATED_PODS_JOB, type PrometheusConfigFile } from '../../../src/components/prometheus/prometheus-config';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../../src/lib/kube';

function prometheusChart(profile: 'dev' | 'prod', overrides = {}) {
  const build = buildEnv(profile, overrides);
  return build.charts.find((c) => c.node.id === 'prometheus')!.toJson();
}

function container(objects: any[]) {
  return find(objects, 'StatefulSet', 'prometheus').spec.template.spec.containers[0];
}

describe('Prometheus', () => {
  test('sets the flags the rest of the stack needs', () => {
    const args: string[] = container(prometheusChart('dev')).args;
    expect(args).toContain('--web.enable-remote-write-receiver');
    expect(args).toContain('--enable-feature=exemplar-storage');
    // Retention is in the config file; the query engine is sized on the memory limit.
    expect(args.filter((a) => a.startsWith('--storage.tsdb.retention'))).toEqual([]);
    expect(args).toEqual(expect.arrayContaining(['--query.max-concurrency=4', '--query.max-samples=5033164']));
  });

  test('keeps retention in the config file (storage.tsdb.retention), where Prometheus 3.14 reads it', () => {
    const cfg = configMapYaml<PrometheusConfigFile>(prometheusChart('dev'), 'prometheus', 'prometheus.yaml');
    expect(cfg.storage.tsdb.retention).toEqual({ time: '2d', size: effectiveRetentionSize({ ...BASE.prometheus, storage: { persistent: false, size: '2Gi' } }) });
  });

  test('gives every scrape job a sample limit: components, cAdvisor per node, annotated pods per pod', () => {
    const cfg = configMapYaml<PrometheusConfigFile>(prometheusChart('prod'), 'prometheus', 'prometheus.yaml');
    const limits = Object.fromEntries(cfg.scrape_configs.map((j) => [j.job_name, j.sample_limit]));
    expect(limits).toMatchObject({ prometheus: 50000, loki: 50000, cadvisor: 25000, [ANNOTATED_PODS_JOB]: 26214 });
  });

  test('keeps the size retention below the volume (80% by default)', () => {
    expect(effectiveRetentionSize({ ...BASE.prometheus, storage: { persistent: true, size: '50Gi' } })).toBe('40GB');
    expect(effectiveRetentionSize({ ...BASE.prometheus, storage: { persistent: true, size: '10Gi' } })).toBe('8GB');
    expect(effectiveRetentionSize({ ...BASE.prometheus, retentionSize: '5GB' })).toBe('5GB');
  });

  test('scrapes itself, cAdvisor and annotated pods, with the shared labels', () => {
    const objects = objectsOf(buildEnv('dev'));
    const cfg = configMapYaml<PrometheusConfigFile>(objects, 'prometheus', 'prometheus.yaml');
    const jobs = cfg.scrape_configs.map((j) => j.job_name);
    expect(jobs).toEqual(expect.arrayContaining(['prometheus', 'cadvisor', ANNOTATED_PODS_JOB]));
    const annotated = cfg.scrape_configs.find((j) => j.job_name === ANNOTATED_PODS_JOB)!;
    const targets = annotated.relabel_configs!.map((r) => r.target_label);
    expect(targets).toEqual(expect.arrayContaining(['namespace', 'pod', 'container', 'node', 'service', '__metrics_path__', '__scheme__']));
    expect(annotated.relabel_configs![0]).toEqual({ source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], regex: 'true', action: 'keep' });
    // The service label prefers app.kubernetes.io/name: it is written last.
    const serviceRules = annotated.relabel_configs!.filter((r) => r.target_label === 'service');
    expect(serviceRules.at(-1)!.source_labels).toEqual(['__meta_kubernetes_pod_label_app_kubernetes_io_name']);
    expect(cfg.global.external_labels.cluster).toBe('kind');
  });

  test('names cAdvisor series by the container they describe, not by the cAdvisor pod', () => {
    const cfg = configMapYaml<PrometheusConfigFile>(objectsOf(buildEnv('dev')), 'prometheus', 'prometheus.yaml');
    const job = cfg.scrape_configs.find((j) => j.job_name === 'cadvisor')!;
    expect(job.relabel_configs!.map((r) => r.target_label)).not.toContain('pod');
    const metricTargets = job.metric_relabel_configs!.map((r) => r.target_label);
    expect(metricTargets).toEqual(expect.arrayContaining(['namespace', 'pod', 'container']));
    expect(job.metric_relabel_configs!.at(-1)).toEqual({ regex: 'container_label_.+|name', action: 'labeldrop' });
  });

  test('drops the annotated-pods job when scrapeAnnotatedPods is off', () => {
    const cfg = configMapYaml<PrometheusConfigFile>(objectsOf(buildEnv('dev', { prometheus: { scrapeAnnotatedPods: false } })), 'prometheus', 'prometheus.yaml');
    expect(cfg.scrape_configs.map((j) => j.job_name)).not.toContain(ANNOTATED_PODS_JOB);
  });

  test('RBAC grants read-only discovery and metrics access, bound to its ServiceAccount: no nodes/proxy', () => {
    const objects = prometheusChart('dev');
    const role = find(objects, 'ClusterRole', 'observability-prometheus');
    // Pods (every stack job), nodes and the kubelets' nodes/metrics (the kubelet jobs), the API server's
    // endpoints (endpointslices and services) and its /metrics.
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
    expect(JSON.stringify(objects)).not.toContain('nodes/proxy');
    expect(objects.filter((o: { kind: string }) => o.kind === 'Role' || o.kind === 'RoleBinding')).toEqual([]);
    const binding = find(objects, 'ClusterRoleBinding', 'observability-prometheus');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'observability' }]);
    expect(find(objects, 'StatefulSet', 'prometheus').spec.template.spec.serviceAccountName).toBe('prometheus');
  });

  test('RBAC shrinks back to get/list/watch on pods when no part of the cluster is scraped', () => {
    const off = buildEnv('dev', { kubernetes: { kubelet: { metrics: false, cadvisor: false, probes: false }, apiServer: { enabled: false }, coredns: { enabled: false } } });
    const objects = objectsOf(off).filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'prometheus');
    expect(find(objects, 'ClusterRole', 'observability-prometheus').rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
  });

  test('keeps data on a claim in prod and an emptyDir in dev', () => {
    const prod = find(prometheusChart('prod'), 'StatefulSet', 'prometheus').spec;
    expect(prod.volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
    expect(prod.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('50Gi');
    expect(prod.volumeClaimTemplates[0].metadata.labels).not.toHaveProperty('app.kubernetes.io/version');
    const dev = find(prometheusChart('dev'), 'StatefulSet', 'prometheus').spec;
    expect(dev.volumeClaimTemplates).toEqual([]);
    expect(dev.template.spec.volumes.find((v: any) => v.name === 'data').emptyDir.sizeLimit).toBe('2Gi');
  });

  test('rolls the pod on a config change, and only then', () => {
    const checksum = (o = {}) => find(prometheusChart('dev', o), 'StatefulSet', 'prometheus').spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
    const base = checksum();
    expect(checksum({ common: { labels: { team: 'sre' } } })).toBe(base);
    expect(checksum({ prometheus: { resources: { limits: { cpu: '2' } } } })).toBe(base);
    expect(checksum({ prometheus: { scrapeInterval: '15s' } })).not.toBe(base);
    // The per-pod sample limit follows the memory limit, so memory is config too.
    expect(checksum({ prometheus: { resources: { limits: { memory: '1Gi' } } } })).not.toBe(base);
  });

  test('runs non-root with a read-only root filesystem', () => {
    const sts = find(prometheusChart('dev'), 'StatefulSet', 'prometheus');
    expect(sts.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container([sts]).securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(container([sts]).readinessProbe.httpGet.path).toBe('/-/ready');
    expect(container([sts]).livenessProbe.httpGet.path).toBe('/-/healthy');
  });
});
