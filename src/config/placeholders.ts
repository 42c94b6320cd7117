/**
 * Placeholders: values that look like configuration but must be edited before a real deployment (the
 * `large` profile's buckets and store URLs, `*.example.com` hosts). The environment README lists every one
 * still in place, so nobody applies a bucket name that is not theirs.
 */
import { COMPONENT_CONFIG } from '../components/registry';
import { PROFILES } from './defaults';
import type { ProfileName, StackConfig } from './types';

/** Config paths a profile fills with values of its own that stand for the user's (each section's `placeholders`). */
function profilePlaceholders(profile: ProfileName): string[] {
  return Object.entries(COMPONENT_CONFIG).flatMap(([section, s]) => (s.placeholders?.[profile] ?? []).map((p) => `${section}.${p}`));
}

/** Hosts reserved for documentation (RFC 2606): never a real endpoint. */
const EXAMPLE_HOST = /^(?:[a-z]+:\/\/)?(?:[^/@\s]*\.)?example\.(?:com|org|net)(?::\d+)?(?:[/?#]|$)/i;

function valueAt(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj);
}

/** Every placeholder still in `cfg`: `[path, value]`, in a fixed order. */
export function placeholders(cfg: StackConfig, profile: ProfileName): Array<{ readonly path: string; readonly value: string }> {
  const out = new Map<string, string>();
  for (const path of profilePlaceholders(profile)) {
    const value = valueAt(cfg, path);
    if (typeof value === 'string' && value !== '' && value === valueAt(PROFILES[profile], path)) out.set(path, value);
  }
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') { if (EXAMPLE_HOST.test(v)) out.set(path, v); return; }
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${path}[${i}]`)); return; }
    if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path === '' ? k : `${path}.${k}`);
  };
  walk(cfg, '');
  return [...out].map(([path, value]) => ({ path, value }));
}
