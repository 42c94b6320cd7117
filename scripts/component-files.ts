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
 *     syntax", "Prometheus label-values": the data model and notation every metrics store shares, not the
 *     Prometheus server of the stack.
 *   Any other mention, in code or comment, still counts.
 * - `code`: the `named` files where the name is left once comments are taken out (TypeScript's scanner): an
 *   import, an identifier, a string. The rest name the component only in prose.
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
  prometheus: [/Prometheus label[- ]name/gi, /Prometheus-compatible/gi, /Prometheus\/Go notation/gi, /Prometheus's label-name syntax/gi, /Prometheus label-values/gi],
};

/** The file without its comments. */
function withoutComments(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  let out = '';
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k !== ts.SyntaxKind.SingleLineCommentTrivia && k !== ts.SyntaxKind.MultiLineCommentTrivia) out += scanner.getTokenText();
  }
  return out;
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
