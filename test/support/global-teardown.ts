/** Jest global teardown: removes the run's scratch folder (see global-setup.ts). */
import { rmSync } from 'node:fs';
import { RUN_CACHE_ENV } from './run-cache';

export default function globalTeardown(): void {
  const dir = process.env[RUN_CACHE_ENV];
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}
