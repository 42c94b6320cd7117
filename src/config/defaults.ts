/**
 * The base configuration and the profiles, assembled from each component's slice (listed in
 * `src/components/registry.ts`; `src/components/<name>/config.ts` holds its defaults and what each profile
 * changes) and the cross-cutting sections of this folder.
 */
import { COMPONENT_CONFIG } from '../components/registry';
import { ARGOCD_DEFAULTS } from './argocd';
import { COMMON_DEFAULTS, COMMON_PROFILES } from './common';
import { PROFILE_NAMES, type ProfileChanges, type ProfileName } from './fields';
import { NETWORK_POLICY_DEFAULTS } from '../components/network-policies/config';
import type { StackConfig, StackOverrides } from './types';

/** Each top-level section: its defaults and what each profile changes (none: the profiles leave it alone). */
const SECTIONS: { readonly [K in keyof StackConfig]: readonly [StackConfig[K], ProfileChanges<StackConfig[K]>?] } = {
  common: [COMMON_DEFAULTS, COMMON_PROFILES],
  ...Object.fromEntries(Object.entries(COMPONENT_CONFIG).map(([k, s]) => [k, [s.defaults, s.profiles]])) as unknown as { [K in keyof typeof COMPONENT_CONFIG]: readonly [StackConfig[K], ProfileChanges<StackConfig[K]>?] },
  argocd: [ARGOCD_DEFAULTS],
  helm: [{ enabled: true }],
  networkPolicy: [NETWORK_POLICY_DEFAULTS],
};

/** The base configuration every profile starts from. */
export const BASE: StackConfig = Object.fromEntries(Object.entries(SECTIONS).map(([k, [defaults]]) => [k, defaults])) as unknown as StackConfig;

function profileOf(name: ProfileName): StackOverrides {
  const out: Record<string, unknown> = {};
  for (const [k, [, changes]] of Object.entries(SECTIONS)) {
    const change = (changes as ProfileChanges<unknown> | undefined)?.[name];
    if (change !== undefined) out[k] = change;
  }
  return out as StackOverrides;
}

/**
 * What each profile changes on top of `BASE` (each section's own file says what and why).
 * - dev: a laptop cluster (kind, k3d): small requests, short retention, emptyDir data, example services on.
 * - prod: persistent volumes, longer retention, larger resources, no default credentials.
 * - large: prod grown past one node: object storage, scaled-out stores, a long-term metrics store (the
 *   buckets, endpoints, URLs and Secret names are placeholders to edit).
 */
export const PROFILES: Readonly<Record<ProfileName, StackOverrides>> = Object.fromEntries(PROFILE_NAMES.map((p) => [p, profileOf(p)])) as Record<ProfileName, StackOverrides>;
