/**
 * Everything `npm run synth` produces, as relative path → file content, one environment at a time.
 * Nothing touches the disk here; config errors surface before the first file is rendered.
 */
import { resolveEnvironments } from '../config/resolve';
import type { EnvironmentDefinition } from '../config/types';
import { buildStack } from '../stack';
import { ARGOCD_DIR, renderArgoCd } from './gitops';
import { renderHelmApplications } from './helm/argocd';
import { renderHelm } from './helm';
import { renderManifests } from './manifests';
import { type EnvironmentSummary, environmentReadme, summarize } from './summary';

/** Receives each file as soon as it is rendered (path relative to the output folder). */
export type FileSink = (path: string, content: string) => void;

export interface SynthResult {
  readonly files: Map<string, string>;
  /** Per environment, in order: what `npm run synth` reports. The builds themselves are not kept (memory). */
  readonly summaries: readonly EnvironmentSummary[];
  /** Top-level entries of the output folder these files own. */
  readonly scope: readonly string[];
}

/** Every file, kept in memory (tests, check:dist). */
export function synthesize(defs: readonly EnvironmentDefinition[], full = true): SynthResult {
  const files = new Map<string, string>();
  return { files, ...synthesizeInto(defs, full, (path, content) => files.set(path, content)) };
}

/**
 * Hands each file to `emit` as soon as it is rendered, so only one environment's build is in memory at a
 * time (`npm run synth` stages the files on disk as they come; see outputs/write.ts). If it throws, the
 * files emitted so far are incomplete and must be dropped.
 *
 * `full`: all environments of the project, so the ArgoCD folder (which lists every environment) is
 * written too; a partial synth (`--env`) writes only the environments asked for.
 */
export function synthesizeInto(defs: readonly EnvironmentDefinition[], full: boolean, emit: FileSink): Omit<SynthResult, 'files'> {
  const envs = resolveEnvironments(defs);
  const summaries: EnvironmentSummary[] = [];
  for (const env of envs) {
    const build = buildStack(env);
    summaries.push(summarize(build));
    for (const [name, content] of renderManifests(build)) emit(`${env.name}/manifests/${name}`, content);
    // Outside manifests/, so no tool tries to apply it.
    emit(`${env.name}/README.md`, environmentReadme(build));
    // The Helm path: values for the upstream charts, never inside manifests/.
    if (env.config.helm.enabled) {
      const helm = renderHelm(build);
      for (const [name, content] of helm.files) emit(`${env.name}/helm/${name}`, content);
      // Under argocd/, which only a full synth writes.
      if (full) for (const [path, content] of renderHelmApplications(env, helm.releases, helm.values)) emit(path, content);
    }
  }
  if (!full) return { summaries, scope: envs.map((e) => e.name) };
  for (const [path, content] of renderArgoCd(envs)) emit(path, content);
  return { summaries, scope: [...envs.map((e) => e.name), ARGOCD_DIR] };
}
