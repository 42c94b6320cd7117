/**
 * Dashboards of the user's own, provisioned next to the stack's in the same Grafana folder:
 * - JSON files from a folder (`grafana.dashboardsFolder`): every `*.json` directly in it, in name order,
 *   kept as written (re-indented);
 * - Foundation SDK builders (or built dashboards) given to the library: `ObservabilityStack`'s
 *   `dashboards` prop, or an environment definition's `dashboards`. Each becomes `<uid>.json`, its panels
 *   numbered and queries lettered as the stack's own are (`finalize`).
 * Every dashboard must be a JSON object with a `title` and a `uid` of its own (no other dashboard, the
 * stack's included, may share it), and may not carry an export's `__inputs` (provisioning does not fill
 * them in). A refusal names the file or list entry, the value and the fix, before anything is written.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { showValue } from '../../config/fields';
import { type ConfigIssue, StackConfigError } from '../../config/errors';
import type { ResolvedEnvironment } from '../../config/types';
import { compareStrings } from '../../lib/order';
import { DS } from '../../lib/dashboards';
import { dashboard, finalize } from '../../lib/dashboards';

/** A dashboard from the library: a Foundation SDK builder (`new DashboardBuilder(...)`) or what its `build()` returns. */
export type DashboardSource = { build(): dashboard.Dashboard } | dashboard.Dashboard;

const UID = /^[A-Za-z0-9_-]{1,40}$/;
const FILE = /^[A-Za-z0-9][-._A-Za-z0-9]*\.json$/;

interface Loaded {
  readonly files: Record<string, string>;
  /** Where each file came from, as an issue shows it: the config path and the value. */
  readonly origins: Record<string, { readonly path: string; readonly value: string }>;
  readonly issues: ConfigIssue[];
}

/** Why a parsed dashboard cannot be provisioned (`where` names it), or nothing. */
function dashboardIssues(doc: unknown, path: string, where: string): ConfigIssue[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return [{ path, value: where, message: 'is not a dashboard (a JSON object)', fix: 'export the dashboard from Grafana as JSON ("Export" > "Export as JSON")' }];
  }
  const d = doc as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  if (typeof d.uid !== 'string' || !UID.test(d.uid)) {
    issues.push({ path, value: where, message: `has uid ${showValue(d.uid)}, not a uid of up to 40 letters, digits, "-" and "_"`, fix: 'give the dashboard a uid of its own, e.g. "payments-overview" (links and bookmarks use it)' });
  }
  if (typeof d.title !== 'string' || d.title.trim() === '') {
    issues.push({ path, value: where, message: `has title ${showValue(d.title)}`, fix: 'give the dashboard a title' });
  }
  if (d.__inputs !== undefined) {
    issues.push({
      path, value: where, message: 'has "__inputs" (an export "for sharing externally"), which provisioning does not fill in',
      fix: `export without "Export for sharing externally", or replace each \${DS_...} with a provisioned uid (${Object.values(DS).map((d) => d.uid).join(', ')}) and remove __inputs`,
    });
  }
  return issues;
}

/** The JSON files of a folder: parse errors name the file. */
function loadFolder(folder: string): Loaded {
  const path = 'grafana.dashboardsFolder';
  const dir = resolve(folder);
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) return { files: {}, origins: {}, issues: [{ path, value: folder, message: `is not a folder (${dir})`, fix: 'name a folder of dashboard JSON files' }] };
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort(compareStrings);
  } catch (e) {
    return { files: {}, origins: {}, issues: [{ path, value: folder, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}: ${dir})`, fix: 'create the folder, or give the path relative to where synth runs' }] };
  }
  const files: Record<string, string> = {};
  const origins: Loaded['origins'] = {};
  const issues: ConfigIssue[] = [];
  for (const name of names) {
    const where = join(folder, name);
    if (!FILE.test(name)) {
      issues.push({ path, value: where, message: 'is not a file name Grafana\'s ConfigMaps can hold', fix: 'rename it to letters, digits, "-", "_" and "." ending in ".json"' });
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (e) {
      issues.push({ path, value: where, message: `does not parse as JSON (${e instanceof Error ? e.message : String(e)})`, fix: 'fix the file, or export the dashboard again' });
      continue;
    }
    const problems = dashboardIssues(doc, path, where);
    issues.push(...problems);
    if (problems.length > 0) continue;
    files[name] = `${JSON.stringify(doc, null, 2)}\n`;
    origins[name] = { path, value: where };
  }
  if (names.length === 0) issues.push({ path, value: folder, message: `holds no *.json file (${dir})`, fix: 'put the dashboards\' JSON files there, or remove grafana.dashboardsFolder' });
  return { files, origins, issues };
}

/** The library's dashboards: built, finalized, one `<uid>.json` each. */
function loadSources(sources: readonly DashboardSource[]): Loaded {
  const files: Record<string, string> = {};
  const origins: Loaded['origins'] = {};
  const issues: ConfigIssue[] = [];
  sources.forEach((source, i) => {
    const path = `dashboards[${i}]`;
    let doc: unknown;
    try {
      doc = typeof (source as { build?: unknown })?.build === 'function' ? (source as { build(): dashboard.Dashboard }).build() : source;
    } catch (e) {
      issues.push({ path, value: source, message: `failed to build (${e instanceof Error ? e.message : String(e)})`, fix: 'fix the builder' });
      return;
    }
    const problems = dashboardIssues(doc, path, `dashboard ${showValue((doc as { title?: unknown } | null)?.title)}`);
    issues.push(...problems);
    if (problems.length > 0) return;
    const d = JSON.parse(JSON.stringify(doc)) as dashboard.Dashboard;
    const file = `${d.uid}.json`;
    if (files[file] !== undefined) {
      issues.push({ path, value: d.uid, message: `is the uid of ${origins[file].path} too`, fix: 'give each dashboard a uid of its own' });
      return;
    }
    files[file] = `${JSON.stringify(finalize(d), null, 2)}\n`;
    origins[file] = { path, value: d.uid! };
  });
  return { files, origins, issues };
}

/** The user's dashboards of an environment (file name -> JSON); refusals are collected, not thrown. */
export function loadExtraDashboards(env: ResolvedEnvironment): Loaded {
  const folder = env.config.grafana.dashboardsFolder;
  const fromFolder: Loaded = folder === undefined ? { files: {}, origins: {}, issues: [] } : loadFolder(folder);
  const fromLibrary = loadSources(env.dashboards ?? []);
  const issues = [...fromFolder.issues, ...fromLibrary.issues];
  for (const name of Object.keys(fromLibrary.files)) {
    if (fromFolder.files[name] !== undefined) {
      const o = fromLibrary.origins[name];
      issues.push({ path: o.path, value: o.value, message: `gives file name ${name}, which ${fromFolder.origins[name].value} has too`, fix: 'give one of the two dashboards another uid (or file name)' });
    }
  }
  return { files: { ...fromFolder.files, ...fromLibrary.files }, origins: { ...fromFolder.origins, ...fromLibrary.origins }, issues };
}

const cache = new WeakMap<ResolvedEnvironment, Loaded>();

/** A dashboard's uid; the stack's dashboards are the same texts in every environment, so each is parsed once. */
const uids = new Map<string, string>();
function uidOf(json: string): string {
  let uid = uids.get(json);
  if (uid === undefined) {
    uid = (JSON.parse(json) as { uid: string }).uid;
    if (uids.size >= 1000) uids.clear();
    uids.set(json, uid);
  }
  return uid;
}

/**
 * The stack's dashboards plus the user's, refusing a file name or uid used twice. Throws
 * `StackConfigError` listing every problem; reads the folder once per environment.
 */
export function withExtraDashboards(env: ResolvedEnvironment, stack: Readonly<Record<string, string>>): Record<string, string> {
  let loaded = cache.get(env);
  if (loaded === undefined) {
    loaded = loadExtraDashboards(env);
    cache.set(env, loaded);
  }
  const issues = [...loaded.issues];
  const owner = new Map<string, string>();
  for (const [file, json] of Object.entries(stack)) owner.set(uidOf(json), `the stack's ${file}`);
  for (const [file, json] of Object.entries(loaded.files).sort(([a], [b]) => compareStrings(a, b))) {
    const o = loaded.origins[file];
    if (stack[file] !== undefined) {
      issues.push({ path: o.path, value: o.value, message: `has the file name of the stack's dashboard ${file}`, fix: 'rename the file (or change the uid)' });
      continue;
    }
    const uid = (JSON.parse(json) as { uid: string }).uid;
    const other = owner.get(uid);
    if (other !== undefined) {
      issues.push({ path: o.path, value: o.value, message: `has uid ${showValue(uid)}, which ${other} has too`, fix: 'give each dashboard a uid of its own' });
      continue;
    }
    owner.set(uid, o.value);
  }
  if (issues.length > 0) throw new StackConfigError(env.name, issues);
  return { ...stack, ...loaded.files };
}
