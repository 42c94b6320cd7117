/**
 * Pod-level differences between the Helm path as rendered by helm and the manifests: for each workload of
 * the manifests, its counterpart among the rendered releases (the same component by `app.kubernetes.io/name`,
 * as the chart or subchart names it, and the same `app.kubernetes.io/component` where one name has several
 * workloads), and the pod facts that differ - security contexts (uid, gid, fsGroup included), probes,
 * resources, writable, host and persistent volumes with their sizes, the Go runtime env, the grace period,
 * the API token, and containers one side has and the other not.
 *
 * Facts are normalised before they are compared, so only a difference a pod would notice is reported:
 * named probe ports become numbers, Kubernetes' defaults are filled in (probe timings, grace period,
 * HTTP scheme), key order is ignored and quantities compare by value.
 */
import { parseQuantity } from '../../src/config/units';
import { SUBCHART_COMPONENTS, helmPart, helmPodFacts, subchartOf } from '../../src/outputs/helm/services';
import type { HelmDifference, MeasuredDifferences } from '../../src/outputs/helm/differences';
import { podTemplate } from './checks/problem';
import { type HelmRendering, folderObjects, helmEnvironments, renderHelmPath } from './helm-render';
import type { KubeObject } from './synth';

type Json = any;

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet'];

function canonical(v: Json): Json {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().filter((k) => v[k] !== undefined && v[k] !== null).map((k) => [k, canonical(v[k])]));
  }
  return v;
}

/** Compact JSON with sorted keys, for comparison and for the README. */
export function show(v: Json): string {
  return v === undefined ? 'none' : JSON.stringify(canonical(v));
}

function normQuantity(q: Json): Json {
  if (typeof q !== 'string' && typeof q !== 'number') return q;
  const n = parseQuantity(String(q));
  return n === undefined ? q : n;
}

function normResources(r: Json): Json {
  if (!r) return undefined;
  const side = (s: Json) => (s ? Object.fromEntries(Object.entries(s).map(([k, v]) => [k, normQuantity(v)])) : undefined);
  return { requests: side(r.requests), limits: side(r.limits) };
}

function portNumber(c: Json, port: Json): Json {
  if (typeof port !== 'string') return port;
  const p = (c.ports ?? []).find((x: Json) => x.name === port);
  return p ? p.containerPort : port;
}

/** A probe with Kubernetes' defaults filled in and named ports resolved against the container. */
function normProbe(c: Json, probe: Json): Json {
  if (!probe) return undefined;
  const out: Json = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3, ...probe };
  if (probe.httpGet) out.httpGet = { scheme: 'HTTP', ...probe.httpGet, port: portNumber(c, probe.httpGet.port) };
  if (probe.tcpSocket) out.tcpSocket = { ...probe.tcpSocket, port: portNumber(c, probe.tcpSocket.port) };
  if (probe.grpc) out.grpc = { ...probe.grpc, port: portNumber(c, probe.grpc.port) };
  return out;
}

function volumeMounts(spec: Json, c: Json, type: 'emptyDir' | 'hostPath'): Json {
  const volumes = new Map<string, Json>((spec.volumes ?? []).map((v: Json) => [v.name, v]));
  const list = (c.volumeMounts ?? [])
    .filter((m: Json) => volumes.get(m.name)?.[type] !== undefined)
    .map((m: Json) => {
      const v = volumes.get(m.name)[type];
      if (type === 'hostPath') return `${v.path} at ${m.mountPath}${m.readOnly ? ' (read-only)' : ''}`;
      const limit = v.sizeLimit === undefined ? 'no size limit' : `sizeLimit ${v.sizeLimit}`;
      return `${m.mountPath}: ${v.medium === 'Memory' ? 'memory, ' : ''}${limit}`;
    })
    .sort();
  return list.length > 0 ? list : undefined;
}

/**
 * The persistent volumes a container mounts, with their size: a StatefulSet's volumeClaimTemplates, or a
 * PersistentVolumeClaim of `objects` a volume names.
 */
function persistentMounts(objects: readonly KubeObject[], w: KubeObject, spec: Json, c: Json): Json {
  const templates = new Map<string, Json>((w.spec?.volumeClaimTemplates ?? []).map((t: Json) => [t.metadata?.name, t.spec]));
  const volumes = new Map<string, Json>((spec.volumes ?? []).map((v: Json) => [v.name, v]));
  const claim = (name: string): Json => {
    const v = volumes.get(name);
    if (v?.persistentVolumeClaim) {
      const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === v.persistentVolumeClaim.claimName && o.metadata.namespace === w.metadata.namespace);
      return pvc?.spec ?? { claimName: v.persistentVolumeClaim.claimName, size: 'unknown (no such PersistentVolumeClaim rendered)' };
    }
    return v === undefined ? templates.get(name) : undefined;
  };
  const list = (c.volumeMounts ?? [])
    .map((m: Json) => [m, claim(m.name)])
    .filter(([, pvc]: Json) => pvc !== undefined)
    .map(([m, pvc]: Json) => {
      const size = pvc.resources?.requests?.storage ?? pvc.size;
      return `${m.mountPath}: ${size} ${[...(pvc.accessModes ?? [])].sort().join(',')}${pvc.storageClassName !== undefined ? ` class ${pvc.storageClassName}` : ''}`;
    })
    .sort();
  return list.length > 0 ? list : undefined;
}

function envValue(c: Json, name: string): Json {
  const e = (c.env ?? []).filter((x: Json) => x.name === name);
  if (e.length === 0) return undefined;
  return e.map((x: Json) => (x.value !== undefined ? x.value : x.valueFrom));
}

function imageName(image: string): string {
  const noTag = image.replace(/[:@][^/]*$/, '');
  return noTag.split('/').slice(-2).join('/');
}

/** The facts of one container, by fact name. */
function containerFacts(objects: readonly KubeObject[], w: KubeObject, spec: Json, c: Json): Record<string, Json> {
  return {
    securityContext: c.securityContext,
    livenessProbe: normProbe(c, c.livenessProbe),
    readinessProbe: normProbe(c, c.readinessProbe),
    startupProbe: normProbe(c, c.startupProbe),
    resources: normResources(c.resources),
    'env GOMEMLIMIT': envValue(c, 'GOMEMLIMIT'),
    // Unset, Go's collector paces at 100.
    'env GOGC': envValue(c, 'GOGC') ?? ['100'],
    'emptyDir volumes': volumeMounts(spec, c, 'emptyDir'),
    'hostPath volumes': volumeMounts(spec, c, 'hostPath'),
    'persistent volumes': persistentMounts(objects, w, spec, c),
  };
}

function automount(objects: readonly KubeObject[], w: KubeObject, spec: Json): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === (spec.serviceAccountName ?? 'default') && o.metadata.namespace === w.metadata.namespace);
  return sa?.automountServiceAccountToken ?? true;
}

function podFacts(objects: readonly KubeObject[], w: KubeObject, spec: Json): Record<string, Json> {
  return {
    securityContext: spec.securityContext,
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
    automountServiceAccountToken: automount(objects, w, spec),
  };
}

const id = (w: KubeObject) => `${w.kind} ${w.metadata.namespace}/${w.metadata.name}`;
const podLabel = (w: KubeObject, k: string): string | undefined => podTemplate(w)?.metadata?.labels?.[k];

/** Whether the Helm path runs the component a manifests workload belongs to (a chart's or a subchart's). */
function isHelmComponent(name: string | undefined): name is string {
  return name !== undefined && helmPart(name) !== undefined;
}

/**
 * The rendered workload that runs what `m` runs in the manifests, if any: the same component by its pod
 * labels' `app.kubernetes.io/name` (the chart's or subchart's name for it, e.g. `prometheus-node-exporter`
 * for node-exporter), and the same `app.kubernetes.io/component` where one name has several workloads.
 */
function counterpart(m: KubeObject, helm: readonly KubeObject[]): KubeObject | undefined {
  const manifestsName = podLabel(m, 'app.kubernetes.io/name');
  const named = (n: string | undefined) => helm.filter((h) => WORKLOADS.includes(h.kind) && podLabel(h, 'app.kubernetes.io/name') === n);
  const chartName = isHelmComponent(manifestsName) ? helmPodFacts(manifestsName).appName : manifestsName;
  // The chart's name for it, else the manifests' (output with the manifests' labels, as in the tests).
  const name = named(chartName).length > 0 ? chartName : manifestsName;
  const candidates = named(name);
  if (candidates.length <= 1) return candidates[0];
  const component = podLabel(m, 'app.kubernetes.io/component');
  const same = candidates.filter((h) => podLabel(h, 'app.kubernetes.io/component') === component);
  if (same.length !== 1) throw new Error(`${id(m)}: ${candidates.length} rendered workloads are named ${name} and ${same.length} match component ${component}`);
  return same[0];
}

/** The chart that renders a workload of a release: the release's chart, or the subchart whose pods it runs. */
function renderingChart(key: string, h: KubeObject): string {
  const sub = SUBCHART_COMPONENTS.find((c) => subchartOf(c)!.parent === key && helmPodFacts(c).appName === podLabel(h, 'app.kubernetes.io/name'));
  return sub === undefined ? key : subchartOf(sub)!.subchart;
}

/**
 * Every pod-level difference, manifests workload by manifests workload (in file order), then rendered
 * workloads the manifests do not have. `skip` names manifests workloads the Helm path does not install
 * (the example services).
 */
export function podDifferences(
  manifests: readonly KubeObject[], releases: ReadonlyArray<{ readonly chart: { readonly key: string }; readonly objects: readonly KubeObject[] }>, skip: (w: KubeObject) => boolean = () => false,
): HelmDifference[] {
  const out: HelmDifference[] = [];
  const helm = releases.flatMap((r) => r.objects);
  const chartOf = (h: KubeObject | undefined): string => {
    const key = h === undefined ? undefined : releases.find((r) => r.objects.includes(h))?.chart.key;
    return key === undefined ? '' : renderingChart(key, h!);
  };
  const paired = new Set<KubeObject>();
  for (const m of manifests.filter((o) => WORKLOADS.includes(o.kind) && !skip(o))) {
    const h = counterpart(m, helm);
    if (h === undefined) {
      out.push({ chart: '', workload: id(m), helmWorkload: 'none', container: '', fact: 'workload', manifests: id(m), helm: 'none' });
      continue;
    }
    paired.add(h);
    const ms = podTemplate(m)!.spec;
    const hs = podTemplate(h)!.spec;
    const diff = (container: string, fact: string, a: Json, b: Json) => {
      if (show(a) !== show(b)) out.push({ chart: chartOf(h), workload: id(m), helmWorkload: id(h), container, fact, manifests: show(a), helm: show(b) });
    };
    const mp = podFacts(manifests, m, ms);
    const hp = podFacts(helm, h, hs);
    for (const fact of Object.keys(mp)) diff('', `pod ${fact}`, mp[fact], hp[fact]);
    const hContainers: Json[] = [...(hs.initContainers ?? []), ...(hs.containers ?? [])];
    const used = new Set<Json>();
    for (const mc of [...(ms.initContainers ?? []), ...(ms.containers ?? [])]) {
      const hc = hContainers.find((c) => !used.has(c) && imageName(c.image) === imageName(mc.image)) ?? hContainers.find((c) => !used.has(c) && c.name === mc.name);
      if (hc === undefined) {
        diff(mc.name, 'container', mc.name, undefined);
        continue;
      }
      used.add(hc);
      const a = containerFacts(manifests, m, ms, mc);
      const b = containerFacts(helm, h, hs, hc);
      for (const fact of Object.keys(a)) diff(mc.name, fact, a[fact], b[fact]);
    }
    for (const hc of hContainers.filter((c) => !used.has(c))) {
      const init = (hs.initContainers ?? []).includes(hc);
      out.push({ chart: chartOf(h), workload: id(m), helmWorkload: id(h), container: hc.name, fact: init ? 'init container' : 'container', manifests: 'none', helm: imageName(hc.image) });
    }
  }
  for (const h of helm.filter((o) => WORKLOADS.includes(o.kind) && !paired.has(o))) {
    out.push({ chart: chartOf(h), workload: 'none', helmWorkload: id(h), container: '', fact: 'workload', manifests: 'none', helm: id(h) });
  }
  return out;
}

/** The Kubernetes version the measured differences are rendered at. */
export const DIFFERENCES_KUBE_VERSION = '1.34.0';

/**
 * The differences of every environment with a Helm path (or of `envs`), as `src/outputs/helm/differences.json`
 * holds them. Pass renderings already made at DIFFERENCES_KUBE_VERSION to reuse them.
 */
export async function measureDifferences(
  synth: { files: ReadonlyMap<string, string> }, renderings?: readonly HelmRendering[], envs: readonly string[] = helmEnvironments(synth.files),
): Promise<MeasuredDifferences> {
  const rendered = renderings ?? (await renderHelmPath(synth.files, envs, [DIFFERENCES_KUBE_VERSION], undefined)).renderings;
  const environments: Record<string, HelmDifference[]> = {};
  const charts = new Map<string, string>();
  for (const env of envs) {
    const r = rendered.find((x) => x.env === env && x.kubeVersion === DIFFERENCES_KUBE_VERSION);
    if (r === undefined) throw new Error(`${env}: not rendered at ${DIFFERENCES_KUBE_VERSION}`);
    for (const rel of r.releases) charts.set(rel.chart.chart, rel.chart.version);
    const manifests = folderObjects(synth.files, `${env}/manifests/`);
    // The example services are not charts: the Helm path does not install them. Subchart components
    // (cluster monitoring, the Alertmanager) are compared with the subchart's workload.
    environments[env] = podDifferences(manifests, r.releases, (w) => !isHelmComponent(podLabel(w, 'app.kubernetes.io/name')));
  }
  return {
    rendered: { kubeVersion: DIFFERENCES_KUBE_VERSION, charts: Object.fromEntries([...charts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) },
    environments,
  };
}
