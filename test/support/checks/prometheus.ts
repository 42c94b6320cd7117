/**
 * Prometheus configuration: located through the pod that runs it (`--config.file` and the ConfigMap
 * mounted there), its Kubernetes discovery checked structurally against the output, and the rest handed
 * to promtool.
 *
 * Debian's promtool is built without Kubernetes service discovery, so `kubernetes_sd_configs` blocks make
 * `check config` fail. `substituteKubernetesSd` replaces each block with a `static_configs` listing the
 * pods it would discover (`<workload>.<namespace>.pod:<port>` for every declared container port of a
 * matching pod template; a placeholder when none match, which `checkKubernetesSd` reports). Relabelling,
 * globals and everything else reach promtool unchanged.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { load } from 'js-yaml';
import type { StackConfig } from '../../../src/config/types';
import { parseDuration, parseQuantity } from '../../../src/config/units';
import { parsePromSize } from '../../../src/components/prometheus/size';
import { KUBERNETES_SERVICE } from '../../../src/components/kubernetes/endpoints';
import { type KubeObject, type Problem, containersOf, objectId, podTemplate } from './problem';
import { runTool } from './tools';


export interface FoundPrometheus {
  readonly workload: KubeObject;
  readonly container: any;
  readonly configPath: string;
  readonly configText?: string;
  readonly config?: any;
  /** Rule files (name → content) from the ConfigMaps mounted where `rule_files` points. */
  readonly ruleFiles: Record<string, string>;
  readonly problems: Problem[];
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

/** The ConfigMap (and key prefix) that backs `dir` in a container, if a configMap volume is mounted there. */
function configMapAt(objects: readonly KubeObject[], w: KubeObject, container: any, dir: string): KubeObject | undefined {
  const mount = (container.volumeMounts ?? []).find((m: any) => posix.normalize(m.mountPath) === posix.normalize(dir));
  if (!mount) return undefined;
  const vol = (podTemplate(w)!.spec.volumes ?? []).find((v: any) => v.name === mount.name);
  if (!vol?.configMap) return undefined;
  return objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === vol.configMap.name && o.metadata.namespace === w.metadata.namespace);
}

/** Every container started with `--config.file` that holds a Prometheus config (has `scrape_configs` or `global`). */
export function findPrometheus(objects: readonly KubeObject[]): FoundPrometheus[] {
  const out: FoundPrometheus[] = [];
  for (const w of objects) {
    const tpl = podTemplate(w);
    if (!tpl) continue;
    for (const { container } of containersOf(tpl.spec, '')) {
      const arg = (container.args ?? []).find((a: string) => a.startsWith('--config.file='));
      // The image's last path segment is `prometheus` (quay.io/prometheus/alertmanager is not one).
      if (!arg || !/(^|\/)prometheus(:|@|$)/.test(String(container.image ?? ''))) continue;
      const configPath = arg.slice('--config.file='.length);
      const problems: Problem[] = [];
      const cm = configMapAt(objects, w, container, dirname(configPath));
      const configText: string | undefined = cm?.data?.[basename(configPath)];
      if (configText === undefined) {
        problems.push({ check: 'prometheus', object: objectId(w), path: '/spec/template', message: `--config.file=${configPath} is not backed by a mounted ConfigMap key` });
        out.push({ workload: w, container, configPath, ruleFiles: {}, problems });
        continue;
      }
      const config = load(configText) as any;
      const ruleFiles: Record<string, string> = {};
      for (const glob of config?.rule_files ?? []) {
        const rcm = configMapAt(objects, w, container, dirname(glob));
        if (!rcm) {
          problems.push({ check: 'prometheus', object: objectId(w), path: '/spec/template', message: `rule_files ${glob}: no ConfigMap is mounted at ${dirname(glob)}` });
          continue;
        }
        const re = globToRegExp(basename(glob));
        for (const [k, v] of Object.entries(rcm.data ?? {})) if (re.test(k)) ruleFiles[k] = v as string;
      }
      out.push({ workload: w, container, configPath, configText, config, ruleFiles, problems });
    }
  }
  return out;
}

const SD_ROLES = new Set(['pod', 'node', 'service', 'endpoints', 'endpointslice', 'ingress']);
/** Resource (apiGroup/resource) each discovery role lists and watches. */
const SD_RESOURCES: Readonly<Record<string, { group: string; resource: string }>> = {
  pod: { group: '', resource: 'pods' },
  node: { group: '', resource: 'nodes' },
  service: { group: '', resource: 'services' },
  endpoints: { group: '', resource: 'endpoints' },
  endpointslice: { group: 'discovery.k8s.io', resource: 'endpointslices' },
  ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
};

/**
 * Namespaces the cluster has that the output does not create: the API server's Service namespace, CoreDNS's,
 * and those the user's own discovery jobs (`prometheus.extraScrapeConfigs`) look in.
 */
export function clusterNamespacesOf(cfg: StackConfig): Set<string> {
  return new Set([
    KUBERNETES_SERVICE.namespace, cfg.networkPolicy.dns.namespace,
    ...cfg.prometheus.extraScrapeConfigs.flatMap((j) => (j.kubernetesSdConfigs ?? []).flatMap((sd) => sd.namespaces?.names ?? [])),
  ]);
}

type Requirement = { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists'; values: string[] };

/** A Kubernetes label selector string (equality and set-based requirements), or undefined when it does not parse. */
function parseLabelSelector(s: string): Requirement[] | undefined {
  // Commas inside `in (a,b)` do not separate requirements.
  const parts = s.split(/,(?![^(]*\))/).map((x) => x.trim()).filter((x) => x !== '');
  const out: Requirement[] = [];
  for (const part of parts) {
    const eq = /^([A-Za-z0-9./_-]+)\s*(==|!=|=)\s*([A-Za-z0-9._-]*)$/.exec(part);
    const set = /^([A-Za-z0-9./_-]+)\s+(in|notin)\s+\(([A-Za-z0-9._,\s-]*)\)$/.exec(part);
    const exists = /^(!?)([A-Za-z0-9./_-]+)$/.exec(part);
    if (eq) out.push({ key: eq[1], op: eq[2] === '!=' ? '!=' : '=', values: [eq[3]] });
    else if (set) out.push({ key: set[1], op: set[2] as 'in' | 'notin', values: set[3].split(',').map((v) => v.trim()) });
    else if (exists) out.push({ key: exists[2], op: exists[1] === '!' ? '!exists' : 'exists', values: [] });
    else return undefined;
  }
  return out;
}

function matches(labels: Record<string, string>, r: Requirement): boolean {
  const v = labels[r.key];
  switch (r.op) {
    case '=': return v === r.values[0];
    case '!=': return v !== r.values[0];
    case 'in': return v !== undefined && r.values.includes(v);
    case 'notin': return v === undefined || !r.values.includes(v);
    case 'exists': return v !== undefined;
    default: return v === undefined;
  }
}

/** The selector roles Prometheus accepts per discovery role (endpoint discovery also filters by Service and pod). */
const SELECTOR_ROLES: Readonly<Record<string, readonly string[]>> = {
  endpoints: ['endpoints', 'service', 'pod'],
  endpointslice: ['endpointslice', 'service', 'pod'],
};

/** Pod templates a `role: pod` discovery block would find. */
function discoveredTemplates(objects: readonly KubeObject[], sd: any): KubeObject[] {
  const names: string[] | undefined = sd.namespaces?.names;
  const labelSel = (sd.selectors ?? []).filter((s: any) => s.role === 'pod' && s.label).map((s: any) => parseLabelSelector(s.label) ?? []).flat();
  return objects.filter((o) => {
    const labels = podTemplate(o)?.metadata?.labels;
    if (!labels) return false;
    if (names && !names.includes(o.metadata.namespace!)) return false;
    return labelSel.every((r: Requirement) => matches(labels, r));
  });
}

/** What each Prometheus ServiceAccount may list and watch, cluster-wide or per namespace. */
function grants(objects: readonly KubeObject[], saNs: string, sa: string): Array<{ namespace?: string; group: string; resource: string }> {
  const out: Array<{ namespace?: string; group: string; resource: string }> = [];
  for (const b of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    if (!(b.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === sa && (s.namespace ?? b.metadata.namespace) === saNs)) continue;
    const role = objects.find((r) => r.kind === b.roleRef?.kind && r.metadata.name === b.roleRef?.name && (b.roleRef?.kind === 'ClusterRole' || r.metadata.namespace === b.metadata.namespace));
    for (const rule of role?.rules ?? []) {
      const verbs: string[] = rule.verbs ?? [];
      if (!(verbs.includes('*') || (verbs.includes('list') && verbs.includes('watch')))) continue;
      for (const group of rule.apiGroups ?? []) for (const resource of rule.resources ?? []) {
        out.push({ namespace: b.kind === 'RoleBinding' ? b.metadata.namespace : undefined, group, resource });
      }
    }
  }
  return out;
}

/**
 * Structural check of every `kubernetes_sd_configs` block: a known role; namespaces the output creates (or
 * `clusterNamespaces`, which the cluster has: `default`, where the API server's Service is, and CoreDNS's);
 * selectors of the block's own role with parseable label selectors; for `role: pod`, at least one pod
 * template found, and a kept `__meta_kubernetes_pod_container_port_name` naming a port such a template
 * declares; and RBAC granting the Prometheus ServiceAccount list+watch on the role's resource wherever
 * the block looks.
 */
export function checkKubernetesSd(found: FoundPrometheus, objects: readonly KubeObject[], clusterNamespaces: ReadonlySet<string> = new Set()): Problem[] {
  const out: Problem[] = [];
  const id = objectId(found.workload);
  const namespaces = new Set([...objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name), ...clusterNamespaces]);
  const sa = podTemplate(found.workload)!.spec.serviceAccountName ?? 'default';
  const granted = grants(objects, found.workload.metadata.namespace!, sa);
  (found.config?.scrape_configs ?? []).forEach((job: any, j: number) => {
    (job.kubernetes_sd_configs ?? []).forEach((sd: any, i: number) => {
      const path = `${found.configPath}#/scrape_configs/${j}(${job.job_name})/kubernetes_sd_configs/${i}`;
      const p = (message: string) => out.push({ check: 'prometheus-sd', object: id, path, message });
      if (!SD_ROLES.has(sd.role)) { p(`unknown role "${sd.role}"`); return; }
      const names: string[] | undefined = sd.namespaces?.names;
      for (const n of names ?? []) if (!namespaces.has(n)) p(`namespace "${n}" is not created by the output`);
      for (const s of sd.selectors ?? []) {
        if (!(SELECTOR_ROLES[sd.role] ?? [sd.role]).includes(s.role)) p(`selector role "${s.role}" is not one the discovery role "${sd.role}" takes`);
        if (s.label !== undefined && parseLabelSelector(s.label) === undefined) p(`label selector "${s.label}" does not parse`);
      }
      const res = SD_RESOURCES[sd.role];
      const where = names ?? [undefined];
      for (const n of where) {
        const ok = granted.some((g) => g.group === res.group && (g.resource === res.resource || g.resource === '*') && (g.namespace === undefined || g.namespace === n));
        if (!ok) p(`ServiceAccount ${found.workload.metadata.namespace}/${sa} may not list+watch ${res.resource}${n ? ` in ${n}` : ' cluster-wide'}`);
      }
      if (sd.role !== 'pod' || (sd.selectors ?? []).length === 0) return; // open-ended discovery (annotated pods) finds whatever runs
      // Pods the cluster runs (CoreDNS) are not in the output to be found.
      if ((names ?? []).length > 0 && names!.every((n) => clusterNamespaces.has(n))) return;
      const templates = discoveredTemplates(objects, sd);
      if (templates.length === 0) { p('finds no pod template in the output'); return; }
      const keep = (job.relabel_configs ?? []).find((r: any) => r.action === 'keep' && (r.source_labels ?? []).join(';') === '__meta_kubernetes_pod_container_port_name');
      if (keep) {
        const re = new RegExp(`^(?:${keep.regex ?? '(.*)'})$`);
        const portNames = templates.flatMap((t) => containersOf(podTemplate(t)!.spec, '').flatMap(({ container }) => (container.ports ?? []).map((cp: any) => cp.name)));
        if (!portNames.some((n) => n !== undefined && re.test(n))) p(`keeps container port "${keep.regex}", but the discovered pods declare ${JSON.stringify(portNames)}`);
      }
    });
  });
  return out;
}

/** The config with each `kubernetes_sd_configs` replaced by an equivalent `static_configs`, and what was substituted. */
export function substituteKubernetesSd(config: any, objects: readonly KubeObject[]): { config: any; substitutions: string[] } {
  const copy = JSON.parse(JSON.stringify(config));
  const substitutions: string[] = [];
  for (const job of copy.scrape_configs ?? []) {
    if (!job.kubernetes_sd_configs) continue;
    const targets = new Set<string>();
    for (const sd of job.kubernetes_sd_configs) {
      const tpls = sd.role === 'pod' ? discoveredTemplates(objects, sd) : [];
      for (const t of tpls) for (const { container } of containersOf(podTemplate(t)!.spec, '')) {
        for (const cp of container.ports ?? []) targets.add(`${t.metadata.name}.${t.metadata.namespace}.pod:${cp.containerPort}`);
      }
    }
    if (targets.size === 0) targets.add(`${job.job_name}.sd-placeholder.invalid:80`);
    delete job.kubernetes_sd_configs;
    job.static_configs = [...(job.static_configs ?? []), { targets: [...targets].sort() }];
    substitutions.push(`${job.job_name}: kubernetes_sd_configs -> static_configs ${[...targets].sort().join(', ')}`);
  }
  return { config: copy, substitutions };
}

/** Runs `cmd` in a scratch folder holding `files` (written by name). */
function inScratch(cmd: string, args: readonly string[], files: Record<string, string>): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obs-stack-promtool-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return runTool(cmd, args, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs promtool in a scratch folder; files are written by name. */
export function promtool(args: readonly string[], files: Record<string, string>): { ok: boolean; output: string } {
  return inScratch('promtool', args, files);
}

/**
 * One promtool run over several files (`check config --syntax-only` or `check rules`), each file's verdict
 * read from its own "Checking <file>" section of the output (promtool checks them in order and prints
 * SUCCESS or FAILED under each). One process instead of one per file.
 */
export function promtoolEach(check: readonly string[], files: Record<string, string>): Map<string, { ok: boolean; output: string }> {
  const names = Object.keys(files);
  // Through sh so that stdout and stderr arrive in one stream, in the order promtool wrote them.
  const all = inScratch('sh', ['-c', 'exec promtool "$@" 2>&1', 'sh', ...check, ...names], files);
  const sections = new Map<string, string>();
  for (const part of all.output.split(/^Checking /m).slice(1)) sections.set(part.slice(0, part.indexOf('\n')), part);
  return new Map(names.map((n) => {
    const section = sections.get(n);
    if (section === undefined) return [n, { ok: false, output: `promtool printed no section for ${n}:\n${all.output}` }];
    return [n, { ok: /SUCCESS/.test(section) && !/FAILED/.test(section), output: `Checking ${section}` }];
  }));
}

let promtoolMajorCache: number | undefined;

/** The installed promtool's major version (2 for Debian 12's 2.42), or undefined without promtool. */
export function promtoolMajor(): number | undefined {
  if (promtoolMajorCache === undefined) {
    const r = runTool('promtool', ['--version']);
    const m = /version (\d+)\./.exec(r.output);
    promtoolMajorCache = r.ok && m ? Number(m[1]) : 0;
  }
  return promtoolMajorCache === 0 ? undefined : promtoolMajorCache;
}

/**
 * Config keys Prometheus 3.14 reads that promtool 2.x does not know and refuses (`field retention not
 * found in type config.plain`): `storage.tsdb.retention` and the `otlp` section (Prometheus 2.47+). The
 * copy handed to a 2.x promtool leaves them out, and `checkTsdbRetention` and `checkOtlpSection` check
 * them here instead; a 3.x promtool gets the config whole.
 */
export const KEYS_PROMTOOL_2_LACKS: readonly string[] = ['storage.tsdb.retention', 'otlp'];

/** The config as the installed promtool can read it (see KEYS_PROMTOOL_2_LACKS), and what was left out. */
export function forPromtool(config: any, major: number | undefined = promtoolMajor()): { config: any; removed: string[] } {
  if (major === undefined || major >= 3) return { config, removed: [] };
  const copy = JSON.parse(JSON.stringify(config));
  const removed: string[] = [];
  for (const key of KEYS_PROMTOOL_2_LACKS) {
    const path = key.split('.');
    const parents: any[] = [copy];
    for (const p of path.slice(0, -1)) parents.push(parents.at(-1)?.[p]);
    const parent = parents.at(-1);
    if (parent === undefined || !(path.at(-1)! in parent)) continue;
    delete parent[path.at(-1)!];
    removed.push(key);
    // Drop the parents the removal left empty (`storage: { tsdb: {} }`).
    for (let i = path.length - 2; i >= 0; i--) {
      if (Object.keys(parents[i + 1]).length === 0) delete parents[i][path[i]];
    }
  }
  return { config: copy, removed };
}

/**
 * `storage.tsdb.retention` as Prometheus 3.14 parses it (config/config.go TSDBRetentionConfig): `time` a
 * Prometheus duration, `size` a byte size with a unit (powers of 1024), below the data volume.
 */
export function checkTsdbRetention(found: FoundPrometheus): Problem[] {
  const out: Problem[] = [];
  const path = `${found.configPath}#/storage/tsdb/retention`;
  const p = (message: string) => out.push({ check: 'prometheus', object: objectId(found.workload), path, message });
  const r = found.config?.storage?.tsdb?.retention;
  if (r === undefined) { p('no retention in the config file'); return out; }
  const allowed = new Set(['time', 'size', 'percentage']);
  for (const k of Object.keys(r)) if (!allowed.has(k)) p(`unknown key ${k} (Prometheus 3.14 reads time, size, percentage)`);
  if (parseDuration(r.time) === undefined) p(`time ${JSON.stringify(r.time)} is not a Prometheus duration`);
  const size = parsePromSize(r.size);
  if (size === undefined) { p(`size ${JSON.stringify(r.size)} is not a byte size with a unit (B, KB, MB, GB, TB, PB, EB)`); return out; }
  const tpl = podTemplate(found.workload)!;
  const claim = (found.workload.spec?.volumeClaimTemplates ?? []).find((c: any) => c.metadata?.name === 'data');
  const emptyDir = (tpl.spec.volumes ?? []).find((v: any) => v.name === 'data')?.emptyDir;
  const volume = parseQuantity(claim?.spec?.resources?.requests?.storage ?? emptyDir?.sizeLimit);
  if (volume !== undefined && size >= volume) p(`size ${r.size} does not fit the ${volume} B data volume`);
  return out;
}

/** Keys of Prometheus 3.14's `otlp` section (config/config.go `OTLPConfig`). */
export const PROMETHEUS_OTLP_KEYS: readonly string[] = [
  'promote_all_resource_attributes', 'promote_resource_attributes', 'ignore_resource_attributes', 'translation_strategy',
  'keep_identifying_resource_attributes', 'convert_histograms_to_nhcb', 'promote_scope_metadata',
  'label_name_underscore_sanitization', 'label_name_preserve_multiple_underscores',
];

/**
 * The `otlp` section as Prometheus 3.14 reads it: known keys only, each promoted attribute a non-empty
 * name, and the receiver it configures switched on (`--web.enable-otlp-receiver`).
 */
export function checkOtlpSection(found: FoundPrometheus): Problem[] {
  const otlp = found.config?.otlp;
  if (otlp === undefined) return [];
  const out: Problem[] = [];
  const p = (path: string, message: string) => out.push({ check: 'prometheus', object: objectId(found.workload), path: `${found.configPath}#/otlp${path}`, message });
  for (const k of Object.keys(otlp)) if (!PROMETHEUS_OTLP_KEYS.includes(k)) p(`/${k}`, `unknown key ${k} (Prometheus 3.14 reads ${PROMETHEUS_OTLP_KEYS.join(', ')})`);
  (otlp.promote_resource_attributes ?? []).forEach((a: unknown, i: number) => {
    if (typeof a !== 'string' || a.trim() === '') p(`/promote_resource_attributes/${i}`, `${JSON.stringify(a)} is not an attribute name`);
  });
  if (!(found.container.args ?? []).includes('--web.enable-otlp-receiver')) p('', 'the otlp section is set but --web.enable-otlp-receiver is not');
  return out;
}
