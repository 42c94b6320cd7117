/**
 * Renders the Helm path of synthesized environments with the real helm binary: every release of the
 * environment's `helmfile.yaml`, with its values file, at each Kubernetes version asked for, plus
 * `helm lint --strict`. Helm runs as child processes, several at once. The result is the Helm path as a
 * cluster would receive it: the namespaces (from the manifests, as the README says to apply them), the
 * objects of `helm/extra/`, and every release's objects.
 */
import { createHash } from 'node:crypto';
import { loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../src/config/environments';
import type { EnvironmentDefinition } from '../../src/config/types';
import { HELM_CHARTS, type HelmChart } from '../../src/outputs/helm/charts';
import { ALL_ENVIRONMENTS } from './environments';
import { HELM_EXTRA_DIR } from '../../src/outputs/helm/extra';
import { HELM, binaryProblem, chartArchive, chartCacheDir, ensureCharts, inParallel, runAsync } from './helm-tools';
import type { KubeObject } from './synth';

/** The Kubernetes versions the Helm path is rendered for (oldest and newest supported). */
export const KUBE_VERSIONS = ['1.30.0', '1.34.0'] as const;

export interface HelmfileRelease {
  readonly name: string;
  readonly namespace: string;
  readonly chart: HelmChart;
  readonly valuesFile: string;
}

export interface RenderedRelease extends HelmfileRelease {
  readonly kubeVersion: string;
  readonly objects: KubeObject[];
}

export interface LintResult {
  readonly release: string;
  readonly kubeVersion: string;
  readonly ok: boolean;
  readonly output: string;
}

export interface HelmRendering {
  readonly env: string;
  readonly kubeVersion: string;
  readonly releases: RenderedRelease[];
  /** Everything applied for this environment: namespaces, `helm/extra/`, then every release. */
  readonly objects: KubeObject[];
}

function docs(text: string): KubeObject[] {
  return (loadAll(text) as KubeObject[]).filter((o) => o !== null && o !== undefined && typeof o === 'object');
}

/** The releases of an environment's synthesized `helmfile.yaml`, each with its pinned chart. */
export function helmfileReleases(files: ReadonlyMap<string, string>, env: string): HelmfileRelease[] {
  const text = files.get(`${env}/helm/helmfile.yaml`);
  if (text === undefined) throw new Error(`${env}: no helm/helmfile.yaml`);
  const hf = docs(text)[0] as unknown as { releases: Array<{ name: string; namespace: string; chart: string; version: string; values: string[] }> };
  return hf.releases.map((r) => {
    const name = r.chart.split('/').pop();
    // A chart may back two keys (alloy: the log agent and the OTLP gateway): the release names its key.
    const matches = Object.values(HELM_CHARTS).filter((c) => c.chart === name && c.version === r.version);
    const chart = matches.find((c) => c.key === r.name) ?? matches[0];
    if (chart === undefined) throw new Error(`${env}: release ${r.name} names chart ${r.chart} ${r.version}, which is not in HELM_CHARTS`);
    return { name: r.name, namespace: r.namespace, chart, valuesFile: r.values[0] };
  });
}

/** The objects `kubectl apply` would send from `dist/<env>/<folder>/` (every .yaml file, sorted by name). */
export function folderObjects(files: ReadonlyMap<string, string>, prefix: string): KubeObject[] {
  return [...files.keys()].filter((p) => p.startsWith(prefix) && p.endsWith('.yaml')).sort().flatMap((p) => docs(files.get(p)!));
}

/** Why the Helm path cannot be rendered here (helm missing, charts missing), or undefined. */
export function helmUnavailable(charts: readonly HelmChart[] = Object.values(HELM_CHARTS)): string | undefined {
  const bin = binaryProblem(HELM);
  if (bin !== undefined) return bin;
  const missing = ensureCharts(charts);
  return missing.length > 0 ? missing.join('\n') : undefined;
}

function valuesOf(files: ReadonlyMap<string, string>, env: string, r: HelmfileRelease): string {
  const v = files.get(`${env}/helm/${r.valuesFile}`);
  if (v === undefined) throw new Error(`${env}: no helm/${r.valuesFile}`);
  return v;
}

function failure(what: string, r: { stdout: string; stderr: string }): Error {
  return new Error(`${what} failed:\n${(r.stderr || r.stdout).trim()}`);
}

/**
 * Renders every release of every environment at every version, and lints each release once (`helm lint
 * --strict` at `lintKubeVersion`, none when undefined), all through one queue of helm processes. Throws
 * when a render fails (lint results are returned).
 */
export async function renderHelmPath(
  files: ReadonlyMap<string, string>, envs: readonly string[], kubeVersions: readonly string[] = KUBE_VERSIONS, lintKubeVersion: string | undefined = kubeVersions[kubeVersions.length - 1],
  versionsOf: (env: string) => readonly string[] = () => kubeVersions,
): Promise<{
  renderings: HelmRendering[];
  lint: Map<string, LintResult[]>;
}> {
  const { dir } = chartCacheDir();
  type Job = { env: string; release: HelmfileRelease; kubeVersion: string; lint: boolean };
  const jobs: Job[] = envs.flatMap((env) => helmfileReleases(files, env).flatMap((release) => [
    ...versionsOf(env).map((kubeVersion) => ({ env, release, kubeVersion, lint: false })),
    ...(lintKubeVersion !== undefined ? [{ env, release, kubeVersion: lintKubeVersion, lint: true }] : []),
  ]));
  // The slowest chart first, so the queue does not end on one long render; results stay in job order.
  const order = jobs.map((_, i) => i).sort((a, b) => Number(jobs[b].release.chart.key === 'loki') - Number(jobs[a].release.chart.key === 'loki'));
  const results = new Array<Awaited<ReturnType<typeof runAsync>>>(jobs.length);
  await inParallel(order.map((i) => async () => {
    const j = jobs[i];
    const common = ['-n', j.release.namespace, '-f', '-', '--kube-version', j.kubeVersion];
    const archive = chartArchive(j.release.chart, dir);
    const args = j.lint ? ['lint', '--strict', archive, ...common] : ['template', j.release.name, archive, ...common];
    results[i] = await runAsync(HELM, args, valuesOf(files, j.env, j.release));
  }));
  const renderings: HelmRendering[] = [];
  const lint = new Map<string, LintResult[]>();
  for (const env of envs) {
    lint.set(env, []);
    const base = [...folderObjects(files, `${env}/manifests/00-namespaces`), ...folderObjects(files, `${env}/helm/${HELM_EXTRA_DIR}/`)];
    for (const kubeVersion of versionsOf(env)) {
      const releases: RenderedRelease[] = [];
      jobs.forEach((j, i) => {
        if (j.env !== env || j.kubeVersion !== kubeVersion) return;
        const r = results[i];
        if (j.lint) {
          lint.get(env)!.push({ release: j.release.name, kubeVersion, ok: r.ok, output: `${r.stdout}${r.stderr}` });
          return;
        }
        if (!r.ok) throw failure(`${env}: helm template ${j.release.name} (${j.release.chart.chart} ${j.release.chart.version}, k8s ${kubeVersion})`, r);
        releases.push({ ...j.release, kubeVersion, objects: docs(r.stdout) });
      });
      renderings.push({ env, kubeVersion, releases, objects: [...base, ...releases.flatMap((r) => r.objects)] });
    }
  }
  return { renderings, lint };
}

/** Environments of a synth that have a Helm path, in synth order. */
export function helmEnvironments(files: ReadonlyMap<string, string>): string[] {
  return [...files.keys()].filter((p) => p.endsWith('/helm/helmfile.yaml')).map((p) => p.split('/')[0]);
}

/** A digest of every synthesized file a Helm rendering reads (helm/ and the namespaces), to match a rendering to a synth. */
export function renderInputDigest(files: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const env of helmEnvironments(files)) {
    for (const p of [...files.keys()].filter((x) => x.startsWith(`${env}/helm/`) || x.startsWith(`${env}/manifests/00-namespaces`)).sort()) {
      h.update(p).update('\u0000').update(files.get(p)!).update('\u0000');
    }
  }
  return h.digest('hex');
}

/**
 * The environments the Helm tests synthesize and render: the project's own, plus the maximal config (every
 * option on: Ingress, Alertmanager credentials, privileged cAdvisor, pull secrets, priority class, Alloy).
 */
export const HELM_TEST_ENVIRONMENTS: readonly EnvironmentDefinition[] = [...ENVIRONMENTS, ...ALL_ENVIRONMENTS.filter((e) => e.name === 'maximal-prod')];

/** The Kubernetes versions an environment is rendered at in the tests: the project's at both, the maximal config at the newest (to save time). */
export function testKubeVersions(env: string): readonly string[] {
  return ENVIRONMENTS.some((e) => e.name === env) ? KUBE_VERSIONS : [KUBE_VERSIONS[KUBE_VERSIONS.length - 1]];
}

/** What the tests render: every environment with a Helm path, at `testKubeVersions`, linted once. */
export interface TestRendering {
  readonly digest: string;
  readonly renderings: HelmRendering[];
  readonly lint: Array<[string, LintResult[]]>;
}

export async function renderForTests(files: ReadonlyMap<string, string>): Promise<TestRendering> {
  const { renderings, lint } = await renderHelmPath(files, helmEnvironments(files), KUBE_VERSIONS, KUBE_VERSIONS[KUBE_VERSIONS.length - 1], testKubeVersions);
  return { digest: renderInputDigest(files), renderings, lint: [...lint] };
}
