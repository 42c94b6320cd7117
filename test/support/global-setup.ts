/**
 * Jest global setup: a scratch folder for test/support/run-cache.ts, shared by every test file (and worker)
 * of this run and removed by global-teardown.ts, so nothing cached outlives the run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_CACHE_ENV } from './run-cache';

export default function globalSetup(): void {
  process.env[RUN_CACHE_ENV] = mkdtempSync(join(tmpdir(), 'obs-stack-jest-'));
}
