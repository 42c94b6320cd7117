/**
 * Jest global setup: a scratch folder for test/support/run-cache.ts, shared by every test file (and worker)
 * of this run and removed by global-teardown.ts, so nothing cached outlives the run; then the background
 * rendering of the Helm path (helm-prerender/setup.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import prerender from './helm-prerender/setup';
import { RUN_CACHE_ENV } from './run-cache';

export default function globalSetup(...args: Parameters<typeof prerender>): void {
  process.env[RUN_CACHE_ENV] = mkdtempSync(join(tmpdir(), 'obs-stack-jest-'));
  prerender(...args);
}
