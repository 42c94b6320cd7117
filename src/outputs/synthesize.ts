/**
 * Everything `npm run synth` produces, as an in-memory map of relative path → file content. Nothing
 * touches the disk here: config errors surface before a single byte is written.
 */
import { resolveEnvironments } from '../config/resolve';
import type { EnvironmentDefinition } from '../config/types';
import { App } from 'cdk8s';
import { ObservabilityStack, resolvedProps } from '../construct';
import { withChartObjects } from '../lib/chart-objects';
import type { StackBuild } from '../stack';
import { ARGOCD_DIR, renderArgoCd } from './gitops';
import { ARGOCD_HELM_DIR, renderHelmApplications } from './helm/argocd';
import { renderHelm } from './helm';
import { renderManifests } from './manifests';
import { type EnvironmentSummary, environmentReadme, summarize } from './summary';

export interface SynthResult {
  readonly files: Map<string, string>;
  /** The builds of the environments synthesized, in the project's order (none with `keepBuilds: false`). */
  readonly builds: readonly StackBuild[];
  /** Each environment's components, resources and warnings (what `npm run synth` prints), in the same order. */
  readonly summaries: readonly EnvironmentSummary[];
  /** The environments synthesized. */
  readonly environments: readonly string[];
  /** The parts of the output folder these files own whole (see WriteRequest.units). */
  readonly units: readonly string[];
  /** True when every environment was synthesized: what the output holds beyond `units` is stale. */
  readonly complete: boolean;
}

/** The ArgoCD app-of-apps; it takes its settings from the project's first environment. */
export const ROOT_APPLICATION = `${ARGOCD_DIR}/root.yaml`;

/** Everything of one environment in the output: its folder and its ArgoCD Applications. */
export function environmentParts(env: string): string[] {
  return [env, `${ARGOCD_DIR}/apps/${env}.yaml`, `${ARGOCD_HELM_DIR}/${env}`];
}

/**
 * Synthesizes `selected` (every environment when omitted). Every environment of `defs` is resolved and the
 * checks across environments (one repository, no two on the same cluster and namespaces) cover all of
 * them, so `--env X` succeeds exactly when a full synth would accept X. The root app-of-apps belongs to the
 * first environment.
 */
export interface SynthesizeOptions {
  /**
   * Keep every environment's build (its cdk8s construct tree) in the result. `npm run synth` needs only the
   * files and summaries, and without the builds its memory no longer grows with them. @default true
   */
  readonly keepBuilds?: boolean;
  /**
   * Receives each part of the output (see environmentParts) with every file under it as soon as it is
   * rendered, environments one by one; the result's `files` then stays empty, so the output need not fit
   * in memory. Every environment is resolved and checked before the first call.
   */
  readonly sink?: (part: string, files: ReadonlyMap<string, string>) => void;
}

export function synthesize(defs: readonly EnvironmentDefinition[], selected?: readonly string[], options: SynthesizeOptions = {}): SynthResult {
  const all = resolveEnvironments(defs);
  const envs = selected === undefined ? all : all.filter((e) => selected.includes(e.name));
  const files = new Map<string, string>();
  const builds: StackBuild[] = [];
  const summaries: EnvironmentSummary[] = [];
  const helmApps = new Map<string, string>();
  const sink = options.sink;
  // Each chart is synthesized once per environment and read by every output.
  for (const env of envs) withChartObjects(() => {
    // This repository's app is a user of the library: one ObservabilityStack per environment (resolved above).
    const def = defs.find((d) => d.name === env.name)!;
    const own = sink === undefined ? files : new Map<string, string>();
    const ownApps = sink === undefined ? helmApps : new Map<string, string>();
    const build = new ObservabilityStack(new App({ outdir: '.unused', recordConstructMetadata: false }), env.name, resolvedProps(env, def.overrides)).build;
    if (options.keepBuilds !== false) builds.push(build);
    summaries.push(summarize(build));
    for (const [name, content] of renderManifests(build)) own.set(`${env.name}/manifests/${name}`, content);
    // Outside manifests/, so no tool tries to apply it.
    own.set(`${env.name}/README.md`, environmentReadme(build));
    // The Helm path: values for the upstream charts, never inside manifests/.
    if (env.config.helm.enabled) {
      const helm = renderHelm(build);
      for (const [name, content] of helm.files) own.set(`${env.name}/helm/${name}`, content);
      for (const [path, content] of renderHelmApplications(env, helm.releases, helm.values, helm.extra)) ownApps.set(path, content);
    }
    if (sink !== undefined) {
      sink(env.name, own);
      sink(`${ARGOCD_HELM_DIR}/${env.name}`, ownApps);
    }
  });
  const units = envs.flatMap((e) => environmentParts(e.name));
  const withRoot = all.length > 0 && envs.includes(all[0]);
  for (const [path, content] of renderArgoCd(all)) {
    if (!(path === ROOT_APPLICATION ? withRoot : envs.some((e) => path === `${ARGOCD_DIR}/apps/${e.name}.yaml`))) continue;
    if (sink === undefined) files.set(path, content);
    else sink(path, new Map([[path, content]]));
  }
  if (withRoot) units.push(ROOT_APPLICATION);
  for (const [path, content] of helmApps) files.set(path, content);
  return { files, builds, summaries, environments: envs.map((e) => e.name), units, complete: envs.length === all.length };
}
