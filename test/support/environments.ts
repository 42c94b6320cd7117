/** Test support: the project's environments plus a maximal one per profile, synthesized once per test run. */
import { ENVIRONMENTS } from '../../src/config/environments';
import type { EnvironmentDefinition } from '../../src/config/types';
import type { SynthResult } from '../../src/outputs/synthesize';
import { MAXIMAL_OVERRIDES } from './maximal';
import { cachedSynth } from './synth';

export const ALL_ENVIRONMENTS: readonly EnvironmentDefinition[] = [
  ...ENVIRONMENTS,
  // Each in a cluster of its own, as ArgoCD needs (two environments may not share cluster and namespaces).
  { name: 'maximal-dev', profile: 'dev', overrides: { ...MAXIMAL_OVERRIDES, argocd: { ...MAXIMAL_OVERRIDES.argocd, destinationServer: 'https://maximal-dev.k8s.example.com' } } },
  { name: 'maximal-prod', profile: 'prod', overrides: { ...MAXIMAL_OVERRIDES, argocd: { ...MAXIMAL_OVERRIDES.argocd, destinationServer: 'https://maximal-prod.k8s.example.com' } } },
];

let cached: SynthResult | undefined;

/** Every file of every environment (project and maximal), as `npm run synth` would write them. */
export function synthEverything(): SynthResult {
  cached ??= cachedSynth('synth-all-environments', ALL_ENVIRONMENTS);
  return cached;
}
