/**
 * Values that cost a full synth, computed once per `jest` run instead of once per test file. Jest gives
 * every test file its own module registry, so a module-level cache only lasts one file; this one keeps the
 * value as JSON in the run's scratch folder (created by global-setup.ts, removed by global-teardown.ts).
 * Every caller gets its own copy, parsed from that JSON, so no test can change what another one sees.
 * Without the folder (jest started with another config), the value is computed in each file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUN_CACHE_ENV = 'OBS_STACK_TEST_RUN_CACHE';

/** `compute()` once per run for `key`; the value must survive JSON (plain objects, arrays, strings, numbers). */
export function runCached<T>(key: string, compute: () => T): T {
  if (!/^[a-z0-9-]+$/.test(key)) throw new Error(`run cache key "${key}": use lower-case letters, digits and dashes`);
  const dir = process.env[RUN_CACHE_ENV];
  if (dir === undefined || !existsSync(dir)) return JSON.parse(JSON.stringify(compute())) as T;
  const path = join(dir, `${key}.json`);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as T;
  const json = JSON.stringify(compute());
  // Two workers may compute the same key at once: each writes its own file and renames it into place.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, json);
  renameSync(tmp, path);
  return JSON.parse(json) as T;
}
