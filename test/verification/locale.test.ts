/**
 * Same bytes under every locale and time zone: the compiled synth (`npm run synth`'s) runs in child
 * processes under other LC_ALL, LANG and TZ values (Node's ICU takes its default locale from them) and the output is compared byte for byte with a
 * run under LC_ALL=C TZ=UTC. A static check finds locale- or clock-dependent calls in src/ and scripts/.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { ENVIRONMENTS } from '../../src/config/environments';
import { snapshot, snapshotDiff } from '../support/fs-faults';
import { LOCALE_SENSITIVE } from '../support/locale-fixture';

const ROOT = join(__dirname, '..', '..');
const { ensureBuilt } = require('../../scripts/build.js') as typeof import('../../scripts/build.js');

interface ChildReport { locale: string; collated: string[]; utcOffsetMinutes: number }

function synthUnder(vars: Record<string, string>, out: string): Promise<ChildReport> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['LC_ALL', 'LANG', 'LANGUAGE', 'LC_COLLATE', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'CDK8S_OUTDIR']) delete env[k];
  Object.assign(env, vars);
  return new Promise((resolve, reject) => {
    const namespaces = [LOCALE_SENSITIVE.overrides!.common!.agentNamespace!, LOCALE_SENSITIVE.overrides!.common!.namespace!];
    const args = [join(ROOT, 'test', 'support', 'locale-child.js'), out, JSON.stringify([...ENVIRONMENTS, LOCALE_SENSITIVE]), JSON.stringify(namespaces)];
    const child = spawn(process.execPath, args, { env, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`synth under ${JSON.stringify(vars)} exited ${code}: ${stderr}`))));
  });
}

const VARIANTS: Array<Record<string, string>> = [
  { LC_ALL: 'da_DK.UTF-8' },
  { LANG: 'tr_TR.UTF-8', TZ: 'Pacific/Kiritimati' },
  { LC_ALL: 'cs_CZ.UTF-8', TZ: 'America/St_Johns' },
];

describe('locale and time zone', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'obs-stack-locale-'));
    // Built (when stale) here once, not by each child at the same time.
    ensureBuilt(ROOT, () => undefined);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('synth writes the same bytes under other LC_ALL, LANG and TZ values', async () => {
    const base = join(dir, 'base');
    const runs = VARIANTS.map((v, i) => ({ vars: v, out: join(dir, `v${i}`) }));
    const [baseReport, ...reports] = await Promise.all([synthUnder({ LC_ALL: 'C', TZ: 'UTC' }, base), ...runs.map((r) => synthUnder(r.vars, r.out))]);
    // The variants really ran under another locale and time zone, and Danish really reorders the fixture.
    const ns = LOCALE_SENSITIVE.overrides!.common!;
    expect(baseReport.collated).toEqual([ns.namespace, ns.agentNamespace]);
    expect(reports.map((r) => r.locale)).toEqual(['da-DK', 'tr-TR', 'cs-CZ']);
    expect(reports[0].collated).toEqual([ns.agentNamespace, ns.namespace]);
    expect(reports.map((r) => r.utcOffsetMinutes)).toEqual([0, 840, -210]);
    const expected = snapshot(base);
    expect(expected.size).toBeGreaterThan(100);
    for (const r of runs) {
      expect(`${JSON.stringify(r.vars)}: ${snapshotDiff(expected, snapshot(r.out)).join(', ')}`).toBe(`${JSON.stringify(r.vars)}: `);
    }
  }, 240_000);
});

/** Calls whose result depends on the locale, the time zone or the clock. */
const FORBIDDEN = new Set(['localeCompare', 'Intl', 'Collator', 'Date', 'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString',
  'toLocaleUpperCase', 'toLocaleLowerCase', 'DateTimeFormat', 'NumberFormat', 'ListFormat', 'PluralRules', 'RelativeTimeFormat', 'Segmenter']);

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** `file:line name` of every identifier in FORBIDDEN (comments and strings do not count). */
export function localeDependentCalls(file: string, text = readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && FORBIDDEN.has(node.text)) {
      found.push(`${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

test('src/ and scripts/ call nothing locale-, time-zone- or clock-dependent', () => {
  expect(localeDependentCalls('x.ts', 'const a = [b].sort((x, y) => x.localeCompare(y)); // localeCompare in a comment\nconst d = new Date();\nconst s = "Intl";'))
    .toEqual(['x.ts:1 localeCompare', 'x.ts:2 Date']);
  expect([...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'scripts'))].flatMap((f) => localeDependentCalls(f))).toEqual([]);
});
