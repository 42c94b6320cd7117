/**
 * Alertmanager configs through amtool. CI has Debian's amtool (package prometheus-alertmanager, 0.25),
 * older than the Alertmanager the stack runs (0.34), and amtool refuses keys it does not know. Two keys
 * the stack renders are newer than 0.25 (checked against the renderer and Alertmanager 0.34's keys in
 * test/components/alertmanager instead):
 * - `receivers[].webhook_configs[].url_file` (Alertmanager 0.26): replaced by a `url` on a reserved host
 *   (`.invalid`), so the receiver stays checked with everything else it has;
 * - `receivers[].msteamsv2_configs` (Alertmanager 0.28): removed; the receiver stays, so routes to it are
 *   still checked and tested.
 * `adaptForAmtool` applies only what the installed amtool's version needs and returns each change, so a
 * test can assert nothing else was touched. Template globs point at a scratch copy of the mounted templates.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { type KubeObject } from './problem';
import { runTool } from './tools';


/** Keys newer than an amtool version: the version that introduced them. */
export const NEWER_KEYS = { webhookUrlFile: { since: [0, 26] as const, path: 'receivers[].webhook_configs[].url_file' }, msteamsv2: { since: [0, 28] as const, path: 'receivers[].msteamsv2_configs' } };

/** The placeholder a webhook gets instead of its `url_file` for an amtool older than 0.26. */
export const WEBHOOK_PLACEHOLDER_URL = 'http://url-file.invalid/';

let installed: { version: [number, number] | undefined } | undefined;

/** The installed amtool's version, asked once per test file (a process start from a Jest worker costs about 0.1 to 0.2 s here). */
export function amtoolVersion(): [number, number] | undefined {
  if (installed === undefined) {
    const m = /version (\d+)\.(\d+)/.exec(runTool('amtool', ['--version']).output);
    installed = { version: m ? [Number(m[1]), Number(m[2])] : undefined };
  }
  return installed.version;
}

const older = (v: readonly [number, number], since: readonly [number, number]) => v[0] < since[0] || (v[0] === since[0] && v[1] < since[1]);

/** The config as the installed amtool can read it, and every change made (one line each). */
export function adaptForAmtool(config: any, version: readonly [number, number]): { config: any; changes: string[] } {
  const copy = JSON.parse(JSON.stringify(config));
  const changes: string[] = [];
  for (const r of copy.receivers ?? []) {
    if (older(version, NEWER_KEYS.webhookUrlFile.since)) {
      (r.webhook_configs ?? []).forEach((w: any, i: number) => {
        if (w.url_file === undefined) return;
        delete w.url_file;
        w.url = WEBHOOK_PLACEHOLDER_URL;
        changes.push(`receivers[${r.name}].webhook_configs[${i}].url_file -> url`);
      });
    }
    if (older(version, NEWER_KEYS.msteamsv2.since) && r.msteamsv2_configs !== undefined) {
      delete r.msteamsv2_configs;
      changes.push(`receivers[${r.name}].msteamsv2_configs removed`);
    }
  }
  return { config: copy, changes };
}

export interface AlertmanagerFiles {
  /** alertmanager.yaml, parsed. */
  readonly config: any;
  /** Template file name -> text, from the templates ConfigMap. */
  readonly templates: Record<string, string>;
}

/** The Alertmanager config and templates of an output (undefined when it has no Alertmanager). */
export function alertmanagerFiles(objects: readonly KubeObject[], configMap = 'alertmanager', templatesMap = 'alertmanager-templates'): AlertmanagerFiles | undefined {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === configMap);
  if (!cm) return undefined;
  const tm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === templatesMap);
  return { config: load(cm.data!['alertmanager.yaml']), templates: { ...(tm?.data ?? {}) } };
}

/** Runs amtool with the config (and its templates) written to a scratch folder; `{config}` in args is its path. */
export function amtool(files: AlertmanagerFiles, args: readonly string[]): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obs-stack-amtool-'));
  try {
    for (const [name, text] of Object.entries(files.templates)) writeFileSync(join(dir, name), text);
    const config = { ...files.config, templates: (files.config.templates ?? []).map((g: string) => join(dir, g.split('/').pop()!)) };
    const path = join(dir, 'alertmanager.yaml');
    writeFileSync(path, dump(config));
    return runTool('amtool', args.map((a) => a.replace('{config}', path)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `amtool check-config`. */
export function amtoolCheckConfig(files: AlertmanagerFiles): { ok: boolean; output: string } {
  return amtool(files, ['check-config', '{config}']);
}

/** The receivers `amtool config routes test` picks for a label set (comma-separated in amtool's output). */
export function amtoolRoute(files: AlertmanagerFiles, labels: Record<string, string>): { ok: boolean; receivers: string[]; output: string } {
  const r = amtool(files, ['config', 'routes', 'test', '--config.file={config}', ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
  return { ok: r.ok, output: r.output, receivers: r.output.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Warning:')).pop()?.split(',').map((s) => s.trim()) ?? [] };
}
