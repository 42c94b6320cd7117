/**
 * Run by test/outputs/write-disk-full.test.ts inside a private mount namespace, with `<folder>` a small
 * tmpfs: writes an output that fits, then a changed one whose staging copy does not, and prints what the
 * writer said and how the folder compares with before, as JSON.
 */
import { join } from 'node:path';
import { OutputError } from '../../src/outputs/output-folder';
import { environmentParts } from '../../src/outputs/synthesize';
import { writeOutput } from '../../src/outputs/write';
import { snapshot, snapshotDiff } from './fs-faults';

const folder = process.argv[2];
const out = join(folder, 'dist');
const ctx = { given: 'the test folder', cwd: folder, home: '/nonexistent-home', projectRoot: '/nonexistent-project' };
const big = (seed: string): string => seed.repeat(200 * 1024 / seed.length);
const request = (v: string) => ({
  files: new Map([['dev/manifests/a.yaml', big(`dev ${v}\n`)], ['prod/manifests/a.yaml', big(`prod ${v}\n`)], ['argocd/apps/dev.yaml', big(`app ${v}\n`)]]),
  units: [...environmentParts('dev'), ...environmentParts('prod')],
  prune: true,
});
writeOutput(out, request('v1'), { folder: ctx });
const before = snapshot(folder);
let result: unknown;
try {
  writeOutput(out, request('v2'), { folder: ctx });
  result = { wrote: true };
} catch (e) {
  result = e instanceof OutputError ? { state: e.state, message: e.message } : { unexpected: String(e) };
}
process.stdout.write(JSON.stringify({ ...(result as object), diff: snapshotDiff(before, snapshot(folder)) }));
