/**
 * Everything `npm run synth` produces, as an in-memory map of relative path → file content. Nothing
 * touches the disk here: config errors surface before a single byte is written.
 */
import { resolveEnvironments } from '../config/resolve';
import type { EnvironmentDefinition } from '../config/types';
import { buildStack, type StackBuild } from '../stack';
import { ARGOCD_DIR, renderArgoCd } from './gitops';
import { renderHelmApplications } from './helm/argocd';
import { renderHelm } from './helm';
import { renderManifests } from './manifests';
import { environmentReadme } from './summary';

export interface SynthResult {
  readonly files: Map<string, string>;
  readonly builds: readonly StackBuild[];
  /** Top-level entries of the output folder these files own. */
  readonly scope: readonly string[];
}

/**
 * `full`: all environments of the project, so the ArgoCD folder (which lists every environment) is
 * written too; a partial synth (`--env`) writes only the environments asked for.
 */
export function synthesize(defs: readonly EnvironmentDefinition[], full = true): SynthResult {
  const envs = resolveEnvironments(defs);
  const files = new Map<string, string>();
  const builds: StackBuild[] = [];
  const helmApps = new Map<string, string>();
  for (const env of envs) {
    const build = buildStack(env);
    builds.push(build);
    for (const [name, content] of renderManifests(build)) files.set(`${env.name}/manifests/${name}`, content);
    // Outside manifests/, so no tool tries to apply it.
    files.set(`${env.name}/README.md`, environmentReadme(build));
    // The Helm path: values for the upstream charts, never inside manifests/.
    if (env.config.helm.enabled) {
      const helm = renderHelm(build);
      for (const [name, content] of helm.files) files.set(`${env.name}/helm/${name}`, content);
      for (const [path, content] of renderHelmApplications(env, helm.releases, helm.values, helm.extra)) helmApps.set(path, content);
    }
  }
  if (!full) return { files, builds, scope: envs.map((e) => e.name) };
  for (const [path, content] of renderArgoCd(envs)) files.set(path, content);
  for (const [path, content] of helmApps) files.set(path, content);
  return { files, builds, scope: [...envs.map((e) => e.name), ARGOCD_DIR] };
}
