/**
 * The README's snippets work when pasted as written: the environment and the alerting block are taken from
 * the README text itself, evaluated, and synthesized; every `npm run synth` line in it is run; the example
 * error message is what synth prints.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { ENVIRONMENTS } from '../src/config/environments';
import type { EnvironmentDefinition, StackOverrides } from '../src/config/types';
import { main } from '../src/main';
import { snapshot, snapshotDiff } from './support/fs-faults';
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PUBLIC_FIELDS_END, PUBLIC_FIELDS_START, publicFieldsTable } from './support/public-fields';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** Code blocks of the README: language and text. */
const BLOCKS = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], text: m[2], at: m.index }));

/** The first code block after `marker` in the README. */
function blockAfter(marker: string, lang: string): string {
  const at = README.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const block = BLOCKS.find((b) => b.at > at && b.lang === lang);
  if (!block) throw new Error(`no ${lang} block after "${marker}"`);
  return block.text;
}

function cli(argv: string[], environments: readonly EnvironmentDefinition[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, environments, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
  return { code, stdout, stderr };
}

/** The snippet to paste into the ENVIRONMENTS array, evaluated as written. */
const pastedEnvironment = (): EnvironmentDefinition[] => runInNewContext(`[\n${blockAfter('Adding an environment is a few lines', 'ts')}]`);

describe('README snippets', () => {
  let dir: string;
  const cwd = process.cwd();
  beforeEach(() => { dir = realpathSync(mkdtempSync(join(tmpdir(), 'obs-stack-readme-'))); process.chdir(dir); });
  afterEach(() => { process.chdir(cwd); rmSync(dir, { recursive: true, force: true }); });

  test('the "add staging" environment, pasted into the list, passes every `npm run synth` line of the README', () => {
    const pasted = pastedEnvironment();
    expect(pasted).toHaveLength(1);
    expect(pasted[0].name).toBe('staging');
    const environments = [...ENVIRONMENTS, ...pasted];
    const commands = BLOCKS.filter((b) => b.lang === 'sh')
      .flatMap((b) => b.text.split('\n'))
      .map((l) => /(?:^|&& )npm run synth(?: -- ([^#]*))?(?:#.*)?$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => (m[1] ?? '').trim().split(/\s+/).filter((a) => a !== ''));
    expect(commands).toContainEqual(['--env', 'staging']);
    expect(commands).toContainEqual([]);
    // In the order a reader meets them, then the other way round.
    for (const argv of [...commands, ...[...commands].reverse()]) {
      const r = cli(argv, environments);
      expect(`npm run synth -- ${argv.join(' ')}: ${r.stderr}`).toBe(`npm run synth -- ${argv.join(' ')}: `);
    }
    // Whatever order they ran in, dist/ is what one full synth writes.
    const full = join(dir, 'full');
    expect(cli(['--out', full], environments).code).toBe(0);
    expect(snapshotDiff(snapshot(full), snapshot(join(dir, 'dist')))).toEqual([]);
  });

  test('the example error is what synth prints for that mistake', () => {
    const shown = blockAfter('Bad input fails synth before a byte is written', '');
    const value = /prometheus\.retention: "([^"]+)"/.exec(shown)![1];
    const broken = ENVIRONMENTS.map((e) => (e.name === 'dev' ? { ...e, overrides: { prometheus: { retention: value } } } : e));
    const r = cli([], broken);
    expect(r.code).toBe(1);
    // The README's block shows this mistake next to another (test/config/refused.test.ts checks it whole):
    // every line synth prints for this one is in it, the count line aside.
    for (const line of r.stderr.split('\n').filter((l) => l !== '' && !/configuration error\(s\)/.test(l))) expect(shown).toContain(line);
  });

  test('the Alertmanager block, pasted into an environment\'s overrides, synthesizes', () => {
    const overrides: StackOverrides = runInNewContext(`({\n${blockAfter('Prometheus sends them to Alertmanagers you already', 'ts')}})`);
    expect(Object.keys(overrides)).toEqual(['alerts']);
    const environments = ENVIRONMENTS.map((e) => (e.name === 'prod' ? { ...e, overrides: { ...e.overrides, ...overrides } } : e));
    const r = cli(['--out', join(dir, 'out')], environments);
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'out', 'prod', 'manifests', 'prometheus.yaml'), 'utf8')).toContain('path_prefix: /alertmanager');
  });

  test('the extension points example, pasted as an environment, synthesizes with every extension in the output', () => {
    const [env]: EnvironmentDefinition[] = runInNewContext(`[\n${blockAfter('## Extension points', 'ts')}]`, { DashboardBuilder });
    expect(env.name).toBe('payments-prod');
    // The example's dashboards folder, relative to where synth runs.
    mkdirSync(join(dir, 'dashboards'));
    writeFileSync(join(dir, 'dashboards', 'payments-db.json'), JSON.stringify({ title: 'Payments DB', uid: 'payments-db-overview', panels: [] }));
    const r = cli(['--out', join(dir, 'out')], [env]);
    expect(r.stderr).toBe('');
    const file = (path: string) => readFileSync(join(dir, 'out', 'payments-prod', path), 'utf8');
    expect(file('manifests/prometheus.yaml')).toMatch(/job_name: payments-gateway[\s\S]*job_name: payments\n[\s\S]*extra\.rules\.yaml/);
    for (const text of ['name: grafana-dashboard-payments\n', 'name: grafana-dashboard-payments-db\n', 'uid: payments-db\n', 'name: EXTRA_DATASOURCE_1_SECRET_1']) {
      expect(file('manifests/grafana.yaml')).toContain(text);
    }
    expect(file('manifests/loki.yaml')).toContain('example.com/backup: daily');
    expect(file('helm/values-loki.yaml')).toContain('example.com/dedicated');
    expect(file('README.md')).toMatch(/payments-db-grafana[\s\S]*payments-scrape|payments-scrape[\s\S]*payments-db-grafana/);
  });

  test('the table of public configuration fields is the schema\'s', () => {
    const start = README.indexOf(PUBLIC_FIELDS_START);
    const end = README.indexOf(PUBLIC_FIELDS_END);
    expect(start).toBeGreaterThan(0);
    // On a difference, paste the expected text (the whole table) into the README.
    expect(README.slice(start, end + PUBLIC_FIELDS_END.length)).toBe(publicFieldsTable());
  });
});
