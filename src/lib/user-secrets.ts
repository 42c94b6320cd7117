/**
 * The Secrets the user creates before `kubectl apply`: obs-stack never writes secret material, it only
 * references Secrets by name. Each component names those it references (`StackComponent.userSecrets`); this
 * is the one list of them. The references check accepts exactly these as "missing from the output on
 * purpose", and the README lists them for the user.
 */
import type { StackConfig } from '../config/types';
import { registeredComponents } from './registered-components';

export interface UserSecret {
  readonly name: string;
  readonly namespace: string;
  /** Keys the Secret must hold (empty: the Secret's type decides, e.g. a dockerconfigjson pull secret). */
  readonly keys: readonly string[];
  /** One line for the user: what it is for and how to create it. */
  readonly purpose: string;
  /** The command that creates it, where its keys' values are not the user's to give. @default - one with `<key>` where each value goes */
  readonly command?: string;
}

/** What the README lists the Secrets by, in this order; within one use, in registry order. */
export const SECRET_USES = [
  'login', 'object-storage', 'remote-write', 'metrics-store', 'datasources', 'alert-delivery', 'alert-receivers', 'scrape',
] as const;
export type SecretUse = (typeof SECRET_USES)[number];

/** A Secret a component references. */
export interface SecretNeed extends UserSecret {
  readonly use: SecretUse;
  /**
   * When a Secret of the same name and namespace is already listed (one Secret serving two uses): what is
   * added to its purpose, and whether the keys keep their order instead of being sorted.
   * @default - the purpose stays, the keys are sorted
   */
  readonly shared?: { readonly purpose?: string; readonly keysInOrder?: boolean };
}

function merge(out: UserSecret[], need: SecretNeed): void {
  const { use: _use, shared, ...secret } = need;
  const i = out.findIndex((s) => s.name === secret.name && s.namespace === secret.namespace);
  if (i < 0) {
    out.push(secret);
    return;
  }
  const keys = [...new Set([...out[i].keys, ...secret.keys])];
  out[i] = {
    ...out[i],
    keys: shared?.keysInOrder === true ? keys : keys.sort(),
    ...(shared?.purpose !== undefined ? { purpose: `${out[i].purpose}; ${shared.purpose}` } : {}),
  };
}

/** Every Secret the given config expects the user (or cert-manager) to create. */
export function userSecrets(cfg: StackConfig): UserSecret[] {
  // Every registered component is asked, deployed or not: each decides from the config.
  const needs = registeredComponents().flatMap((c) => c.userSecrets?.(cfg) ?? []);
  const out: UserSecret[] = [];
  for (const use of SECRET_USES) for (const need of needs) if (need.use === use) merge(out, need);
  // Pull secrets are referenced by pods in both namespaces, so each namespace needs its own copy.
  for (const name of cfg.common.imagePullSecrets) {
    for (const namespace of [cfg.common.namespace, cfg.common.agentNamespace]) {
      out.push({ name, namespace, keys: [], purpose: 'image pull credentials for common.imageRegistry (kubectl create secret docker-registry)' });
    }
  }
  return out;
}
