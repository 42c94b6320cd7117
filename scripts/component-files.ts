/**
 * How far each component reaches outside its folder: for every folder of src/components that the registry
 * lists, the files elsewhere in src/ that name it (comments included).
 *
 *   npx tsx scripts/component-files.ts [--files]
 *
 * Three columns:
 * - `words`: the folder name as a word, any case (`node-exporter` also as `nodeExporter`). This is the figure
 *   issue 17 was filed with.
 * - `named`: the same, after removing words that are spelled like a component but mean something else.
 *   Each exception below is a different thing that happens to share the name, not a use of the component:
 *   - `kubelet-cadvisor`, "the kubelet's (own) cAdvisor", "the embedded cAdvisor", `/metrics/cadvisor`, `kubelet.cadvisor`,
 *     `KUBELET_PATHS.cadvisor`, the kubelet section's `cadvisor: flag()` / `cadvisor: true` switch and the
 *     prometheus chart's default job `kubernetes-nodes-cadvisor`: the cAdvisor built into every kubelet, a
 *     target of the `kubernetes` component, not the cAdvisor DaemonSet.
 *   - "Kubernetes" capitalised, `app.kubernetes.io/...`, `*.kubernetes.io/` keys, `kubernetes_sd_configs`:
 *     the platform and its API. The component is the lower-case `kubernetes` section (the cluster's own
 *     scrape targets).
 *   - "Prometheus label name", "Prometheus-compatible", "Prometheus/Go notation", "Prometheus's label-name
 *     syntax", "Prometheus label-values", "Prometheus-style duration", "Prometheus relabelling semantics",
 *     "Prometheus's relabeller" (the library both log agents embed): the data model, notation and code every
 *     Prometheus-compatible tool shares, not the Prometheus server of the stack.
 *   - The vendors' and projects' addresses: image repositories (`docker.io/grafana/`, `quay.io/prometheus/`),
 *     GitHub organisations and Helm repositories (`grafana/alloy`, `grafana-community/...`,
 *     `prometheus-community/...`, `HELM_REPOSITORIES.grafana`, "the grafana repository"), documentation sites
 *     (`grafana.com/docs/...`, `prometheus.io/docs/...`), npm scopes (`@grafana/`, `@prometheus-io/`) and
 *     other projects (`kube-prometheus`, `prometheus-operator.dev`); "Grafana Alloy", "Grafana Labs" and
 *     "Grafana Enterprise" name products and the vendor. None of them is the Grafana or Prometheus of the stack.
 *   - `prometheus-node-exporter` (node-exporter's chart and label name), `prometheus.io/scrape|port|path`
 *     (the pod annotations any scraper may read), the Alertmanager datasource's `implementation: 'prometheus'`
 *     (the upstream Alertmanager, as opposed to Cortex's or Mimir's).
 *   - `loki.write`, `loki.source.file`, `loki.process` and their `loki_write_*` series: components of Alloy's
 *     configuration language, named by Alloy.
 *   Any other mention, in code or comment, still counts.
 * - `code`: the `named` files where the name is left once comments are taken out (TypeScript's parser and
 *   printer): an import, an identifier, a string. The rest name the component only in prose.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const SRC = join(__dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Words spelled like the component that name something else (see the header). */
const NOT_THE_COMPONENT: Readonly<Record<string, readonly RegExp[]>> = {
  cadvisor: [
    /\bcadvisor: '\/metrics\/cadvisor'/g, /embedded cAdvisor/g, /kubelet's own cAdvisor/g, /kubelet[-.]cadvisor/gi, /kubelets?\\?'s? cadvisor/gi, /\/metrics\/cadvisor/gi, /kubelet\.cadvisor/gi, /KUBELET_PATHS\.cadvisor/g,
    /\bcadvisor: (?:flag\(\)|true)/g, /kubernetes-nodes-cadvisor/g,
  ],
  kubernetes: [/\bKubernetes\b/g, /\bapp\.kubernetes\.io/g, /\b[a-z.]*kubernetes\.io\//g, /kubernetes_sd_configs?/g],
  prometheus: [
    /Prometheus label[- ]name/gi, /Prometheus-compatible/gi, /Prometheus\/Go notation/gi, /Prometheus's label-name syntax/gi, /Prometheus label-values/gi,
    /Prometheus-style duration/gi, /Prometheus relabell?ing semantics/gi, /Prometheus's relabeller/gi,
    /quay\.io\/prometheus\//g, /prometheus-community[/.-][\w/.-]*/g, /(?:https:\/\/)?prometheus\.io\/docs\/[\w/.#-]*/g, /@prometheus-io\//g,
    /kube-prometheus/g, /prometheus-operator\.dev/g, /prometheus-node-exporter/g, /prometheus\.io\/(?:scrape|port|path)?/g,
    /implementation: 'prometheus'(?: \| 'cortex' \| 'mimir')?/g,
  ],
  grafana: [
    /Grafana (?:Alloy|Labs|Enterprise)/g, /docker\.io\/grafana\//g, /(?:https:\/\/)?grafana\.com\/docs\/[\w/.#-]*/g, /@grafana\/[\w/-]*/g,
    /\bgrafana(?:-community)?\/(?:alloy|loki|tempo|promtail|helm-charts)\b/g, /grafana-community[/.-]?[\w/.-]*/g, /grafana\.github\.io[\w/.-]*/g,
    /HELM_REPOSITORIES\.grafana(?:Community)?/g, /\bgrafana(?:Community)?: \{ name: 'grafana(?:-community)?'/g, /the grafana (?:chart )?repository/g, /grafana-postgresql-datasource/g,
  ],
  loki: [/\bloki\.(?:write|source\.file|process)\b/g, /\bloki_write_\w+/g, /(?:https:\/\/)?grafana\.com\/docs\/loki\/[\w/.#-]*/g],
};

/**
 * The file without its comments, printed from its syntax tree: a bare scanner cannot tell a template's `}`
 * or a regular expression's `/` from code, and then reads the comments after it as code.
 */
function withoutComments(text: string): string {
  const file = ts.createSourceFile('f.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(file);
}

const registry = readFileSync(join(SRC, 'components/registry.ts'), 'utf8');
const components = [...registry.matchAll(/from '\.\/([a-z-]+)'/g)].map((m) => m[1]).filter((c) => statSync(join(SRC, 'components', c), { throwIfNoEntry: false })?.isDirectory()).filter((c) => !['namespaces', 'network-policies'].includes(c));
const all = files(SRC);
const rows = components.map((c) => {
  const word = new RegExp(`\\b${c.replace(/-/g, '[- ]?')}\\b`, 'i');
  const outside = all.filter((f) => !f.startsWith(join(SRC, 'components', c) + '/'));
  const words = outside.filter((f) => word.test(readFileSync(f, 'utf8')));
  const unexcepted = (text: string) => (NOT_THE_COMPONENT[c] ?? []).reduce((t, re) => t.replace(re, ''), text);
  const named = words.filter((f) => word.test(unexcepted(readFileSync(f, 'utf8'))));
  const code = named.filter((f) => word.test(unexcepted(withoutComments(readFileSync(f, 'utf8')))));
  return { c, words: words.length, named: named.length, code: code.length, files: named.map((f) => relative(SRC, f)) };
});
const list = process.argv.includes('--files');
console.log(`${'component'.padEnd(19)} words  named   code`);
for (const r of rows) console.log(`${r.c.padEnd(19)} ${String(r.words).padStart(5)}  ${String(r.named).padStart(5)}  ${String(r.code).padStart(5)}  ${list ? r.files.join(' ') : ''}`);
const mean = (k: 'words' | 'named' | 'code') => (rows.reduce((s, r) => s + r[k], 0) / rows.length).toFixed(1);
console.log(`${'mean'.padEnd(19)} ${mean('words').padStart(5)}  ${mean('named').padStart(5)}  ${mean('code').padStart(5)}`);
