/**
 * The metrics store's series budget, by role: the store declares it (`StackComponent.seriesBudget`), and a
 * component whose series land there sizes its own limits from it without naming the store (the
 * metrics-generator's series ceiling, the containers per node a node-containers target may report).
 */
import type { StackConfig } from '../config/types';
import type { StackComponent } from '../components/component';
import { registeredComponents } from './registered-components';

/** What the metrics store holds and takes per target, from its memory (planning figures). */
export interface SeriesBudget {
  /** Active series its memory limit holds. */
  readonly activeSeries: number;
  /** `sample_limit` of a node-containers job (per node): the series one node's containers may expose. */
  readonly nodeContainersSampleLimit: number;
}

/** The budget of the one enabled component that declares one; none or several is an internal error. */
export function metricsSeriesBudget(cfg: StackConfig, components: readonly StackComponent<string>[] = registeredComponents()): SeriesBudget {
  const found = components.filter((c) => c.seriesBudget !== undefined && c.enabled(cfg));
  if (found.length !== 1) throw new Error(`internal: one enabled component must declare a series budget, ${found.length === 0 ? 'none does' : `components ${found.map((c) => c.id).join(' and ')} do`}`);
  return found[0]!.seriesBudget!(cfg);
}
