/**
 * Everything `npm run synth` produces, as an in-memory map of relative path → file content. Nothing
 * touches the disk here: config errors surface before a single byte is written.
 */
import { resolveEnvironments } from '../config/resolve';
import type { EnvironmentDefinition } from '../config/types';
import { buildStack, type StackBuild } from '../stack';
import { renderManifests } from './manifests';

export interface SynthResult {
  readonly files: Map<string, string>;
  readonly builds: readonly StackBuild[];
  /** Top-level entries of the output folder these files own. */
  readonly scope: readonly string[];
}

export function synthesize(defs: readonly EnvironmentDefinition[]): SynthResult {
  const envs = resolveEnvironments(defs);
  const files = new Map<string, string>();
  const builds: StackBuild[] = [];
  for (const env of envs) {
    const build = buildStack(env);
    builds.push(build);
    for (const [name, content] of renderManifests(build)) files.set(`${env.name}/manifests/${name}`, content);
  }
  return { files, builds, scope: envs.map((e) => e.name) };
}
