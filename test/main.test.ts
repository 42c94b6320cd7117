import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/main';
import { writeTree } from '../src/outputs/write';
import { synthAll } from './support/synth';

describe('npm run synth', () => {
  let out: string;
  beforeEach(() => { out = mkdtempSync(join(tmpdir(), 'obs-stack-main-')); });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  test('writes every environment into its own manifests folder', () => {
    expect(run(['--out', out])).toMatch(/for dev, prod, large, argocd into/);
    expect(readdirSync(join(out, 'dev', 'manifests'))).toContain('prometheus.yaml');
    expect(readdirSync(join(out, 'prod', 'manifests'))).toContain('00-namespaces.yaml');
  });

  test('synthesizes one environment with --env', () => {
    run(['--out', out, '--env', 'prod']);
    expect(readdirSync(out)).toEqual(['prod']);
  });

  test('fails on an unknown environment with the list of known ones', () => {
    expect(() => run(['--out', out, '--env', 'qa'])).toThrow('unknown environment "qa"; known environments: dev, prod');
  });

  test('fails on an unknown argument', () => {
    expect(() => run(['--outdir', out])).toThrow(/unknown argument "--outdir"/);
  });

  test('fails on a bad config before writing anything, leaving the previous output untouched', () => {
    const previous = synthAll();
    writeTree(out, previous.files, previous.scope, true);
    const before = readFileSync(join(out, 'dev', 'manifests', 'prometheus.yaml'), 'utf8');
    const broken = [{ name: 'dev', profile: 'dev' as const, overrides: { prometheus: { retention: 'forever' } } }];
    expect(() => run(['--out', out], broken)).toThrow('prometheus.retention: "forever" is not a duration');
    expect(readFileSync(join(out, 'dev', 'manifests', 'prometheus.yaml'), 'utf8')).toBe(before);
    expect(readdirSync(out).sort()).toEqual(['argocd', 'dev', 'large', 'prod']);
  });

  test('fails while rendering (files already staged) without touching the previous output or leaving staging behind', () => {
    const previous = synthAll();
    writeTree(out, previous.files, previous.scope, true);
    const before = readFileSync(join(out, 'dev', 'manifests', 'prometheus.yaml'), 'utf8');
    // Valid config; the Helm values renderer refuses it after the manifests and README were staged.
    const failsInHelm = [{ name: 'big', profile: 'large' as const, overrides: { tempo: { replicas: 3, replicationFactor: 3 } } }];
    expect(() => run(['--out', out], failsInHelm)).toThrow(/tempo\.replicas: 3 cannot be expressed by the tempo chart/);
    expect(readFileSync(join(out, 'dev', 'manifests', 'prometheus.yaml'), 'utf8')).toBe(before);
    expect(readdirSync(out).sort()).toEqual(['argocd', 'dev', 'large', 'prod']);
  });

  test('a failed synth into a new folder leaves no folder behind', () => {
    const fresh = join(out, 'new');
    const failsInHelm = [{ name: 'big', profile: 'large' as const, overrides: { tempo: { replicas: 3, replicationFactor: 3 } } }];
    expect(() => run(['--out', fresh], failsInHelm)).toThrow(/tempo\.replicas/);
    expect(existsSync(fresh)).toBe(false);
  });
});
