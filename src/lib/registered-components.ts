/**
 * The registry's components and endpoints, for shared code that components themselves call (the metrics
 * catalog, the external endpoints, the datasources, the receivers). Loaded on first use: importing the registry from such a module would close a cycle
 * (registry -> component -> this module's user -> registry) and leave the registry half-built at load time.
 */
import type { StackComponent } from '../components/component';
import type { Endpoints } from '../components/registry';
import type { StackConfig } from '../config/types';
import { scoped } from './chart-objects';

function registry(): typeof import('../components/registry') {
  return require('../components/registry') as typeof import('../components/registry');
}

export function registeredComponents(): readonly StackComponent<string>[] {
  return registry().REGISTRY;
}

/**
 * The manifests' endpoints of every component for `cfg` (`buildEndpoints`), built once per config while a
 * stack is built and rendered (a log agent's `enabled` asks for them, and it is asked often).
 */
export const registeredEndpoints: (cfg: StackConfig) => Endpoints = scoped((cfg) => registry().buildEndpoints(cfg));
