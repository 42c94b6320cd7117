/**
 * The whole StackConfig schema, assembled from the config sections the components own (listed in
 * `src/components/registry.ts`, each declared in `src/components/<name>/config.ts`), the stack-wide
 * sections here (common, argocd, helm) and the NetworkPolicies' section (networkPolicy, last, from
 * `src/components/network-policies/config.ts`). One declaration gives both the TypeScript types (`types.ts`)
 * and the runtime check (`validate.ts`).
 */
import { COMPONENT_CONFIG, CONFIG_CHECKS } from '../components/registry';
import { argoCdSchema } from './argocd';
import { commonSchema } from './common';
import { flag, obj, report } from './fields';
import { networkPolicySchema } from '../components/network-policies/config';

type Sections = typeof COMPONENT_CONFIG;

/** The stack-wide sections this module adds; no component may register one of their keys. */
const STACK_WIDE = ['common', 'argocd', 'helm', 'networkPolicy'] as const;
const clashes = STACK_WIDE.filter((k) => k in COMPONENT_CONFIG);
if (clashes.length > 0) throw new Error(`internal: config section ${clashes.join(', ')} is stack-wide and may not be registered by a component`);

const componentSchemas = Object.fromEntries(Object.entries(COMPONENT_CONFIG).map(([k, s]) => [k, s.schema])) as { readonly [K in keyof Sections]: Sections[K]['schema'] };

export const stackConfigSchema = obj({
  common: commonSchema,
  ...componentSchemas,
  argocd: argoCdSchema,
  /**
   * Also render `dist/<env>/helm/` (values for the official charts). Turn it off for an environment that uses
   * what only the manifests can express (e.g. `tempo.replicas` above 1).
   */
  helm: obj({ enabled: flag() }).readonly(),
  networkPolicy: networkPolicySchema,
}).superRefine((cfg, ctx) => {
  for (const check of CONFIG_CHECKS) check(cfg, ctx);
  for (const key of ['namespace', 'agentNamespace'] as const) {
    if (cfg.common[key] === cfg.argocd.namespace) {
      report(ctx, ['common', key], cfg.common[key], 'is the ArgoCD namespace (argocd.namespace)', 'give the stack a namespace of its own, e.g. "observability"');
    }
  }
}).readonly();
