/** Jest global teardown: stops the background Helm rendering and removes the run's scratch folders (see global-setup.ts). */
import { rmSync } from 'node:fs';
import { teardown } from './helm-prerender/setup';
import { RUN_CACHE_ENV } from './run-cache';

export default function globalTeardown(): void {
  teardown();
  const dir = process.env[RUN_CACHE_ENV];
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  delete process.env[RUN_CACHE_ENV];
}
