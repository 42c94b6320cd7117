/**
 * The `kubernetes-pods` job's relabelling, run by a real Prometheus: the rendered job with its pod
 * discovery replaced by the targets Kubernetes pod discovery would hand it (one per declared container
 * port, one per container without ports, with the same `__meta_kubernetes_*` labels; Prometheus 3.14's
 * discovery/kubernetes/pod.go), so Prometheus's own relabelling decides which become scrape targets.
 * Debian's Prometheus (2.42, built without Kubernetes discovery) runs it; its relabelling has every action
 * the job uses (`keepequal` since 2.41).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { ANNOTATED_PODS_JOB, type PrometheusConfigFile, type ScrapeConfig } from '../../../src/components/prometheus/prometheus-config';
import { itWithTool } from '../../support/checks';
import { buildEnv, configMapYaml, objectsOf } from '../../support/synth';

const itPrometheus = itWithTool('prometheus');

interface Port { readonly name: string; readonly number: number; readonly protocol?: 'TCP' | 'UDP' }
interface Container { readonly name: string; readonly ports: readonly Port[] }
interface Pod {
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly containers: readonly Container[];
  readonly phase?: string;
}

/** What pod discovery emits for a pod: one target per declared port, one per container without ports. */
function discovered(pod: Pod, ip: string): Array<{ address: string; labels: Record<string, string> }> {
  const podLabels: Record<string, string> = {
    __meta_kubernetes_namespace: 'shop',
    __meta_kubernetes_pod_name: pod.name,
    __meta_kubernetes_pod_ip: ip,
    __meta_kubernetes_pod_node_name: 'node-1',
    __meta_kubernetes_pod_phase: pod.phase ?? 'Running',
    __meta_kubernetes_pod_label_app_kubernetes_io_name: pod.name,
    ...Object.fromEntries(Object.entries(pod.annotations).map(([k, v]) => [`__meta_kubernetes_pod_annotation_${k.replace(/[^a-zA-Z0-9_]/g, '_')}`, v])),
  };
  return pod.containers.flatMap((c) => {
    const base = { ...podLabels, __meta_kubernetes_pod_container_name: c.name, __meta_kubernetes_pod_container_init: 'false' };
    if (c.ports.length === 0) return [{ address: ip, labels: base }];
    return c.ports.map((p) => ({
      address: `${ip}:${p.number}`,
      labels: {
        ...base,
        __meta_kubernetes_pod_container_port_name: p.name,
        __meta_kubernetes_pod_container_port_number: String(p.number),
        __meta_kubernetes_pod_container_port_protocol: p.protocol ?? 'TCP',
      },
    }));
  });
}

const SCRAPE = { 'prometheus.io/scrape': 'true' };
const PODS: readonly Pod[] = [
  // Annotated port, declared, next to an admin port and an Envoy-like sidecar: only the annotated one.
  { name: 'annotated', annotations: { ...SCRAPE, 'prometheus.io/port': '8080' }, containers: [
    { name: 'app', ports: [{ name: 'http', number: 8080 }, { name: 'admin', number: 9090 }] },
    { name: 'proxy', ports: [{ name: 'http-envoy-prom', number: 15090 }] },
  ] },
  // Annotated port declared by one container, the other container has no ports: one target.
  { name: 'annotated-portless-sidecar', annotations: { ...SCRAPE, 'prometheus.io/port': '8080' }, containers: [
    { name: 'app', ports: [{ name: 'web', number: 8080 }] }, { name: 'log-shipper', ports: [] },
  ] },
  // Annotated port no container declares: discovery has no such target.
  { name: 'annotated-undeclared', annotations: { ...SCRAPE, 'prometheus.io/port': '9100' }, containers: [{ name: 'app', ports: [{ name: 'http', number: 8080 }] }] },
  // No annotation: the port named `metrics` only, not the gRPC or HTTP one.
  { name: 'named-metrics', annotations: SCRAPE, containers: [
    { name: 'app', ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 9095 }, { name: 'metrics', number: 9102 }] },
  ] },
  // No annotation, `*-metrics` naming.
  { name: 'named-http-metrics', annotations: SCRAPE, containers: [{ name: 'controller', ports: [{ name: 'http-metrics', number: 10254 }] }] },
  // No annotation and no metrics-named port: not scraped (no "first port" exists in discovery).
  { name: 'unnamed', annotations: SCRAPE, containers: [{ name: 'app', ports: [{ name: 'http', number: 8080 }] }] },
  // No annotation, no ports at all: "" would equal "" for keepequal; not scraped.
  { name: 'portless', annotations: SCRAPE, containers: [{ name: 'worker', ports: [] }] },
  // A UDP port named like a metrics port.
  { name: 'udp', annotations: SCRAPE, containers: [{ name: 'dns', ports: [{ name: 'metrics', number: 9153, protocol: 'UDP' }] }] },
  // Not opted in; finished.
  { name: 'not-opted-in', annotations: { 'prometheus.io/port': '8080' }, containers: [{ name: 'app', ports: [{ name: 'metrics', number: 8080 }] }] },
  { name: 'finished', annotations: SCRAPE, phase: 'Succeeded', containers: [{ name: 'job', ports: [{ name: 'metrics', number: 9102 }] }] },
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface ActiveTarget { labels: Record<string, string>; discoveredLabels: Record<string, string> }

/** Runs Prometheus with `job` fed `targets` and returns the targets it keeps. */
async function keptTargets(job: ScrapeConfig, pods: readonly Pod[]): Promise<ActiveTarget[]> {
  const dir = mkdtempSync(join(tmpdir(), 'obs-stack-prometheus-'));
  const port = await freePort();
  const staticJob: ScrapeConfig = {
    ...job,
    // Nothing listens on these addresses; an hour keeps Prometheus from retrying while we look.
    scrape_interval: '1h',
    kubernetes_sd_configs: undefined,
    static_configs: pods.flatMap((pod, i) => discovered(pod, `127.0.0.${i + 2}`)).map((t) => ({ targets: [t.address], labels: t.labels })),
  };
  delete staticJob.kubernetes_sd_configs;
  writeFileSync(join(dir, 'prometheus.yaml'), dump({ global: { scrape_interval: '1h' }, scrape_configs: [staticJob] }));
  const proc: ChildProcess = spawn('prometheus', [
    `--config.file=${join(dir, 'prometheus.yaml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d) => { log += String(d); });
  try {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/targets?state=any`);
        if (res.ok) {
          const body = await res.json() as { data: { activeTargets: ActiveTarget[]; droppedTargets: unknown[] } };
          const seen = body.data.activeTargets.length + body.data.droppedTargets.length;
          if (seen === staticJob.static_configs!.length) return body.data.activeTargets;
        }
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Prometheus did not list the targets in time:\n${log.slice(-2000)}`);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

describe(`the ${ANNOTATED_PODS_JOB} job`, () => {
  const cfg = configMapYaml<PrometheusConfigFile>(objectsOf(buildEnv('dev')), 'prometheus', 'prometheus.yaml');
  const job = cfg.scrape_configs.find((j) => j.job_name === ANNOTATED_PODS_JOB)!;

  it('carries a per-pod sample limit', () => {
    expect(job.sample_limit).toBeGreaterThan(0);
  });

  it('scrapes every annotated pod the output itself runs (the example services declare their annotated port)', () => {
    const objects = objectsOf(buildEnv('dev'));
    const annotated = objects.filter((o) => o.spec?.template?.metadata?.annotations?.['prometheus.io/scrape'] === 'true');
    expect(annotated.length).toBeGreaterThan(0);
    for (const w of annotated) {
      const want = w.spec.template.metadata.annotations['prometheus.io/port'];
      const ports: Array<{ name?: string; containerPort: number }> = w.spec.template.spec.containers.flatMap((c: { ports?: unknown[] }) => c.ports ?? []);
      const scraped = ports.filter((p) => (want !== undefined ? String(p.containerPort) === want : /^(metrics|.+-metrics)$/.test(p.name ?? '')));
      expect({ workload: w.metadata.name, scraped: scraped.length }).toEqual({ workload: w.metadata.name, scraped: 1 });
    }
  });

  itPrometheus('scrapes the annotated port, else ports named metrics, nothing else, once per pod', async () => {
    const kept = await keptTargets(job, PODS);
    const summary = kept.map((t) => `${t.labels.pod} ${t.labels.container} ${t.labels.instance}`).sort();
    expect(summary).toEqual([
      'annotated app 127.0.0.2:8080',
      'annotated-portless-sidecar app 127.0.0.3:8080',
      'named-http-metrics controller 127.0.0.6:10254',
      'named-metrics app 127.0.0.5:9102',
    ]);
    // The shared labels survive, helper labels do not.
    for (const t of kept) {
      expect(t.labels).toMatchObject({ job: ANNOTATED_PODS_JOB, namespace: 'shop', node: 'node-1', service: t.labels.pod });
      expect(Object.keys(t.labels).filter((k) => k.startsWith('__tmp'))).toEqual([]);
    }
  }, 40_000);
});
