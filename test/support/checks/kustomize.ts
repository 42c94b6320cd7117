/**
 * Kustomize: each environment's manifests folder must build with `kubectl kustomize`. The folder's own
 * `kustomization.yaml` is used when the synth emits one; otherwise one listing every file is generated.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTool } from './tools';

/** `files` of one manifests folder (name → content), with a kustomization.yaml (emitted or generated). */
export function manifestsFolder(files: ReadonlyMap<string, string>, env: string): { files: Map<string, string>; generated: boolean } {
  const prefix = `${env}/manifests/`;
  const out = new Map<string, string>();
  for (const [p, c] of files) if (p.startsWith(prefix)) out.set(p.slice(prefix.length), c);
  if (out.has('kustomization.yaml')) return { files: out, generated: false };
  const resources = [...out.keys()].filter((f) => f.endsWith('.yaml')).sort();
  out.set('kustomization.yaml', ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...resources.map((r) => `  - ${r}`), ''].join('\n'));
  return { files: out, generated: true };
}

/** Writes the folder to a scratch directory and runs `kubectl kustomize` on it. */
export function kustomizeBuild(folder: ReadonlyMap<string, string>): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obs-stack-kustomize-'));
  try {
    for (const [name, content] of folder) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return runTool('kubectl', ['kustomize', dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
