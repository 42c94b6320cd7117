/**
 * The registry's components, for shared code that components themselves call (the metrics catalog, the
 * external endpoints, the datasources). Loaded on first use: importing the registry from such a module would close a cycle
 * (registry -> component -> this module's user -> registry) and leave the registry half-built at load time.
 */
import type { StackComponent } from '../components/component';

export function registeredComponents(): readonly StackComponent<string>[] {
  return (require('../components/registry') as typeof import('../components/registry')).REGISTRY;
}
