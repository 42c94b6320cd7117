/**
 * The registry's components and endpoints, for shared code that components themselves call (the metrics catalog, the
 * external endpoints, the datasources). Loaded on first use: importing the registry from such a module would close a cycle
 * (registry -> component -> this module's user -> registry) and leave the registry half-built at load time.
 */
import type { StackComponent } from '../components/component';
import type { Endpoints } from '../components/registry';
import type { StackConfig } from '../config/types';

const registry = (): typeof import('../components/registry') => require('../components/registry') as typeof import('../components/registry');

export function registeredComponents(): readonly StackComponent<string>[] {
  return registry().REGISTRY;
}

/** The stack's endpoints for `cfg` (`buildEndpoints`). */
export function registeredEndpoints(cfg: StackConfig): Endpoints {
  return registry().buildEndpoints(cfg);
}
