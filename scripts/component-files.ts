/**
 * How far each component reaches outside its folder: for every folder of src/components that the registry
 * lists, the files elsewhere in src/ that name it (as a word, any case, comments included).
 *
 *   npx tsx scripts/component-files.ts
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const registry = readFileSync(join(SRC, 'components/registry.ts'), 'utf8');
const components = [...registry.matchAll(/from '\.\/([a-z-]+)'/g)].map((m) => m[1]).filter((c) => statSync(join(SRC, 'components', c), { throwIfNoEntry: false })?.isDirectory()).filter((c) => !['namespaces', 'network-policies'].includes(c));
const all = files(SRC);
const rows = components.map((c) => {
  const word = new RegExp(`\\b${c.replace(/-/g, '[- ]?')}\\b`, 'i');
  const outside = all.filter((f) => !f.startsWith(join(SRC, 'components', c) + '/') && word.test(readFileSync(f, 'utf8')));
  return { c, n: outside.length, files: outside.map((f) => relative(SRC, f)) };
});
for (const r of rows) console.log(`${r.c.padEnd(16)} ${String(r.n).padStart(3)}  ${process.argv.includes('--files') ? r.files.join(' ') : ''}`);
console.log(`${'mean'.padEnd(16)} ${(rows.reduce((s, r) => s + r.n, 0) / rows.length).toFixed(1).padStart(5)}`);
