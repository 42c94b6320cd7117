/**
 * Kustomize: each environment's manifests folder must build with `kubectl kustomize`, using the Kustomize
 * file the synth emits into it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KUBECTL } from '../helm-tools';
import { runTool } from './tools';

/** The files of one environment's manifests folder (name -> content), its Kustomize file included. */
export function manifestsFolder(files: ReadonlyMap<string, string>, env: string): Map<string, string> {
  const prefix = `${env}/manifests/`;
  const out = new Map<string, string>();
  for (const [p, c] of files) if (p.startsWith(prefix)) out.set(p.slice(prefix.length), c);
  return out;
}

/** Writes the folder to a scratch directory and runs the project's `kubectl kustomize` on it. */
export function kustomizeBuild(folder: ReadonlyMap<string, string>): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obs-stack-kustomize-'));
  try {
    for (const [name, content] of folder) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return runTool(KUBECTL, ['kustomize', dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
