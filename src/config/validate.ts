/**
 * Validation: runs the config schema (`schema.ts`) before any object is built or any file is written, and
 * turns every refusal into one `path: value message; fix` line. Values are shown as given (`NaN`, `null`,
 * `"1"` and `1` read differently) and invisible characters are escaped in every part of the line.
 */
import type { z } from 'zod';
import { showValue, splitProblem } from './fields';
import { stackConfigSchema } from './schema';
import type { StackConfig } from './types';

export { type ConfigIssue, StackConfigError, formatIssue } from './errors';
import type { ConfigIssue } from './errors';

/** The fix of an issue whose message zod wrote itself: every field should say its own (the tests check it never shows). */
export const GENERIC_FIX = 'see the field\'s documentation in its config.ts';

/** `a.b[0].c`: list indexes in brackets, an empty key as `[""]`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (part === '' || typeof part === 'symbol') out += `[${showValue(typeof part === 'symbol' ? part.toString() : part)}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Every zod issue as a ConfigIssue; an unknown key becomes one issue per key, with a "did you mean". */
export function issuesOf(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const iss of error.issues) {
    const { message, fix } = splitProblem(iss.message);
    const path = [...prefix, ...iss.path];
    if (iss.code === 'unrecognized_keys') {
      const known = fix?.startsWith('use one of: ') ? fix.slice('use one of: '.length).split(', ') : [];
      for (const key of iss.keys) {
        const hint = closest(key, known);
        out.push({
          path: formatPath([...path, key]),
          value: ownValue(iss.input, key),
          message,
          fix: `${hint !== undefined ? `did you mean "${hint}"? ` : ''}${fix ?? GENERIC_FIX}`,
        });
      }
      continue;
    }
    if (iss.code === 'invalid_key') {
      // A map key refused by its own check: that check's message, the key as the value.
      const inner = splitProblem(iss.issues[0]?.message ?? iss.message);
      out.push({ path: formatPath(path), value: iss.input, message: inner.message, fix: inner.fix ?? fix ?? GENERIC_FIX });
      continue;
    }
    const params = iss.code === 'custom' ? iss.params : undefined;
    const value = params !== undefined && Object.prototype.hasOwnProperty.call(params, 'value') ? params.value : iss.input;
    out.push({ path: formatPath(path), value, message, fix: fix ?? GENERIC_FIX });
  }
  return out;
}

function ownValue(obj: unknown, key: string): unknown {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d === undefined || !('value' in d) ? undefined : d.value;
}

/**
 * The known key a typo most likely meant: same letters ignoring case and `_`/`-`, else the one known key
 * it begins (`password` → `passwordKey`), else at most 2 edits away.
 */
function closest(key: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const same = known.find((k) => norm(k) === norm(key));
  if (same !== undefined) return same;
  const extended = known.filter((k) => norm(key).length >= 4 && norm(k).startsWith(norm(key)));
  if (extended.length === 1) return extended[0];
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(norm(key), norm(k));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** Parses a merged config: the typed, read-only config, or every issue found. */
export function validateConfig(value: unknown): { config: StackConfig; issues: [] } | { config: undefined; issues: ConfigIssue[] } {
  const result = stackConfigSchema.safeParse(value, { reportInput: true, jitless: true });
  return result.success ? { config: result.data, issues: [] } : { config: undefined, issues: issuesOf(result.error) };
}
