/**
 * Grafana's provisioning as it appears in the output, found by shape rather than by name so a renamed
 * ConfigMap is still checked: datasource files are YAML keys with a `datasources` list, dashboards are
 * JSON keys with `panels`. Shared by the query and correlation checks.
 */
import { type ConfigMapFile, YAML_KEY, configMapFiles } from './config-files';
import type { KubeObject } from './problem';


/** A provisioning file (datasources or a dashboard). */
export type ProvisionedFile = ConfigMapFile;

/** Grafana datasource provisioning files: ConfigMap keys whose YAML has a `datasources` list. */
export function datasourceFiles(objects: readonly KubeObject[]): ProvisionedFile[] {
  return configMapFiles(objects, YAML_KEY).filter((f) => Array.isArray(f.doc.datasources));
}

/** Dashboards: ConfigMap keys ending in `.json` whose document has a `panels` list. */
export function dashboardFiles(objects: readonly KubeObject[]): ProvisionedFile[] {
  return configMapFiles(objects, /\.json$/, JSON.parse).filter((f) => Array.isArray(f.doc.panels));
}

/** Every provisioned datasource by uid (type, name), over all datasource files. */
export function provisionedDatasources(objects: readonly KubeObject[]): Map<string, { type: string; name: string }> {
  const out = new Map<string, { type: string; name: string }>();
  for (const f of datasourceFiles(objects)) {
    for (const d of f.doc.datasources) if (typeof d?.uid === 'string') out.set(d.uid, { type: String(d.type), name: String(d.name) });
  }
  return out;
}

/** The first provisioned datasource of a type, with its jsonData (undefined when none is provisioned). */
export function datasourceOfType(objects: readonly KubeObject[], type: string): any {
  for (const f of datasourceFiles(objects)) {
    const d = f.doc.datasources.find((x: any) => x?.type === type);
    if (d) return d;
  }
  return undefined;
}

/** Panels at any depth (rows keep collapsed panels in their own `panels`), with their JSON paths. */
export function panelsOf(dashboard: any): Array<{ panel: any; path: string }> {
  const out: Array<{ panel: any; path: string }> = [];
  const walk = (panels: any[], base: string) => panels.forEach((p, i) => {
    out.push({ panel: p, path: `${base}/${i}` });
    if (Array.isArray(p?.panels)) walk(p.panels, `${base}/${i}/panels`);
  });
  walk(dashboard?.panels ?? [], '/panels');
  return out;
}

/** Top-level panels that leave Grafana's 24-column grid or overlap a panel before them, one line each. */
export function gridProblems(dashboard: any): string[] {
  const problems: string[] = [];
  const cells = new Set<string>();
  for (const p of dashboard?.panels ?? []) {
    const g = p.gridPos;
    if (g.x + g.w > 24) problems.push(`${p.title} ends at column ${g.x + g.w}, past 24`);
    for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
      const key = `${x},${y}`;
      if (cells.has(key)) problems.push(`${dashboard.title} / ${p.title} overlaps at ${key}`);
      cells.add(key);
    }
  }
  return problems;
}

/** Grafana's provisioning expands `$VAR` from the environment; `$$` is its escape for a literal `$`. */
export function unescapeProvisioning(text: string): string {
  return text.replace(/\$\$/g, '$');
}
