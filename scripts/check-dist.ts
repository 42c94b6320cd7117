/**
 * `npm run check:dist`: synthesizes every environment into a temporary folder with the same command as
 * `npm run synth` (scripts/synth.js: the compiled synth, rebuilt first if stale) and compares it with the
 * committed dist/. Exits 1 with a readable summary when they differ (run `npm run synth` and commit).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

function listFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  try { walk(root); } catch { /* a missing dist/ compares as empty */ }
  return out;
}

/** The first differing line of two texts, for the summary. */
function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: committed ${JSON.stringify(la[i] ?? '<end>')} / fresh ${JSON.stringify(lb[i] ?? '<end>')}`;
  }
  return 'identical';
}

export function compareTrees(committed: Map<string, string>, fresh: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const path of [...new Set([...committed.keys(), ...fresh.keys()])].sort()) {
    const a = committed.get(path);
    const b = fresh.get(path);
    if (a === undefined) problems.push(`missing from dist/: ${path}`);
    else if (b === undefined) problems.push(`stale in dist/ (synth no longer writes it): ${path}`);
    else if (a !== b) problems.push(`differs: ${path} (${firstDifference(a, b)})`);
  }
  return problems;
}

if (require.main === module) {
  const tmp = mkdtempSync(join(tmpdir(), 'obs-stack-check-'));
  try {
    const synth = spawnSync(process.execPath, [join(__dirname, 'synth.js'), '--out', tmp], { encoding: 'utf8' });
    if (synth.status !== 0) throw new Error(`npm run synth failed:\n${synth.stderr}`);
    const problems = compareTrees(listFiles('dist'), listFiles(tmp));
    if (problems.length > 0) {
      process.stderr.write(`dist/ is not what synth produces (${problems.length} file(s)):\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Run `npm run synth` and commit dist/.\n');
      process.exitCode = 1;
    } else {
      process.stdout.write('dist/ is current.\n');
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
