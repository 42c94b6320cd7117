/**
 * The shape every verification check returns: a list of problems, each naming the object, the place in
 * it and what is wrong. An empty list means the check passed. Checks are pure functions of objects (and
 * sometimes a config); they never read files or the network.
 */
import type { KubeObject } from '../synth';

export type { KubeObject };

export interface Problem {
  /** Which check found it, e.g. `schema`, `wiring`. */
  readonly check: string;
  /** `Kind namespace/name` of the object concerned. */
  readonly object: string;
  /** JSON path inside the object (`/spec/template/...`), or the config location. */
  readonly path: string;
  readonly message: string;
}

export function objectId(o: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '<unnamed>'}`;
}

/** One line per problem, for test failure messages. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `[${p.check}] ${p.object} ${p.path}: ${p.message}`).join('\n');
}

export const WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet'];

/** The pod template of a workload (CronJob included), or undefined for other kinds. */
export function podTemplate(o: KubeObject): { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: any } | undefined {
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template;
  if (WORKLOAD_KINDS.includes(o.kind)) return o.spec?.template;
  if (o.kind === 'Pod') return { metadata: o.metadata, spec: o.spec };
  return undefined;
}

/** JSON path of a workload's pod template. */
export function podTemplatePath(o: KubeObject): string {
  if (o.kind === 'CronJob') return '/spec/jobTemplate/spec/template';
  if (o.kind === 'Pod') return '';
  return '/spec/template';
}

/** Every container of a pod spec with its JSON path (init and ephemeral containers included). */
export function containersOf(spec: any, base: string): Array<{ container: any; path: string; init: boolean }> {
  const out: Array<{ container: any; path: string; init: boolean }> = [];
  for (const field of ['initContainers', 'containers'] as const) {
    (spec?.[field] ?? []).forEach((c: unknown, i: number) => out.push({ container: c, path: `${base}/spec/${field}/${i}`, init: field === 'initContainers' }));
  }
  return out;
}

/** True when every label of `selector` is on `labels` (an empty selector selects nothing here). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
