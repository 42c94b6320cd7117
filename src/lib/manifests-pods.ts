/**
 * The manifests' pod facts, read from the objects the components built, so the Helm values carry the same
 * probes, security contexts, grace periods and scratch sizes without a second copy of them: a component
 * that changes a probe changes it on both paths.
 *
 * Probes are handed to the charts with numeric ports: the charts name their container ports their own
 * way, but listen on the same numbers.
 */
import { chartObjects } from './chart-objects';
import type { StackBuild } from '../stack';

type Json = any;

/** A probe as the charts take it (plain Kubernetes fields, numeric port). */
export interface ProbeValues {
  readonly httpGet: { readonly path: string; readonly port: number; readonly scheme?: string };
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

export interface ManifestsPod {
  /** `Kind namespace/name`, for error messages. */
  readonly id: string;
  readonly spec: Json;
  /** The pod's (first and only) container. */
  readonly container: Json;
}

/** Every workload of the build, as JSON, once per build. */
const cache = new WeakMap<StackBuild, Json[]>();

function objects(build: StackBuild): Json[] {
  let out = cache.get(build);
  if (out === undefined) {
    out = build.charts.flatMap((c) => chartObjects(c));
    cache.set(build, out);
  }
  return out;
}

/** The pod of the manifests' `kind` `name`; fails loudly when the manifests have no such workload. */
export function manifestsPod(build: StackBuild, kind: string, name: string): ManifestsPod {
  const w = objects(build).find((o: Json) => o.kind === kind && o.metadata?.name === name);
  if (w === undefined) throw new Error(`Helm values: the manifests of ${build.env.name} have no ${kind} ${name} to take pod facts from`);
  const spec = w.spec.template.spec;
  return { id: `${kind} ${w.metadata.namespace}/${name}`, spec, container: spec.containers[0] };
}

/** A probe of the pod's container with its named port resolved to the port number. */
export function probeOf(pod: ManifestsPod, which: 'livenessProbe' | 'readinessProbe' | 'startupProbe'): ProbeValues {
  const p = pod.container[which];
  if (p?.httpGet === undefined) throw new Error(`Helm values: ${pod.id} has no HTTP ${which}`);
  const port = typeof p.httpGet.port === 'number'
    ? p.httpGet.port
    : (pod.container.ports ?? []).find((x: Json) => x.name === p.httpGet.port)?.containerPort;
  if (typeof port !== 'number') throw new Error(`Helm values: ${pod.id} ${which} names port ${p.httpGet.port}, which the container does not declare`);
  return {
    httpGet: { path: p.httpGet.path, port, ...(p.httpGet.scheme !== undefined ? { scheme: p.httpGet.scheme } : {}) },
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    periodSeconds: p.periodSeconds ?? 10,
    timeoutSeconds: p.timeoutSeconds ?? 1,
    failureThreshold: p.failureThreshold ?? 3,
  };
}

/** A probe's timings only, for charts that write the probe's path and port themselves. */
export type ProbeTimings = Omit<ProbeValues, 'httpGet'>;

export function probeTimingsOf(pod: ManifestsPod, which: 'livenessProbe' | 'readinessProbe' | 'startupProbe'): ProbeTimings {
  const { httpGet: _path, ...timings } = probeOf(pod, which);
  return timings;
}

/** How long the startup probe lets the container start (`failureThreshold` x `periodSeconds`). */
export function startupSeconds(pod: ManifestsPod): number {
  const p = probeOf(pod, 'startupProbe');
  return p.failureThreshold * p.periodSeconds;
}

/** The `sizeLimit` of the emptyDir the container mounts at `mountPath`. */
export function emptyDirLimit(pod: ManifestsPod, mountPath: string): string {
  const mount = (pod.container.volumeMounts ?? []).find((m: Json) => m.mountPath === mountPath);
  const volume = (pod.spec.volumes ?? []).find((v: Json) => v.name === mount?.name);
  const limit = volume?.emptyDir?.sizeLimit;
  if (typeof limit !== 'string') throw new Error(`Helm values: ${pod.id} mounts no size-limited emptyDir at ${mountPath}`);
  return limit;
}

export function gracePeriodOf(pod: ManifestsPod): number {
  return pod.spec.terminationGracePeriodSeconds ?? 30;
}

export function podSecurityOf(pod: ManifestsPod): Json {
  return pod.spec.securityContext;
}

export function containerSecurityOf(pod: ManifestsPod): Json {
  return pod.container.securityContext;
}
