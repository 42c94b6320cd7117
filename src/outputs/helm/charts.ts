/**
 * The charts the Helm path installs and the components it runs, gathered from the registry: each component's
 * `helm` part (`src/components/<name>/helm.ts`) names its chart or the subchart that renders it.
 */
import { HELM_INSTALL_ORDER, REGISTRY } from '../../components/registry';
import type { ChartKey, ComponentHelm, HelmChart, HelmChartRelease } from '../../lib/helm';

export { chartRef, type ChartKey, type HelmChart, type HelmRepository } from '../../lib/helm';

/** A component the Helm path runs: its registry id (its name in wires and selectors) and its `helm` part. */
export interface HelmComponent {
  readonly id: string;
  readonly helm: ComponentHelm<ChartKey>;
}

/** Every component with a `helm` part, in registry order. */
export const HELM_COMPONENTS: readonly HelmComponent[] = REGISTRY.flatMap((c) => (c.helm ? [{ id: c.id, helm: c.helm }] : []));

const RELEASES = new Map<string, HelmChartRelease<ChartKey>>(HELM_COMPONENTS.flatMap((c) => (c.helm.release ? [[c.helm.release.chart.key, c.helm.release]] : [])));

function installOrder(): readonly ChartKey[] {
  const listed = new Set<string>(HELM_INSTALL_ORDER);
  const missing = [...RELEASES.keys()].filter((k) => !listed.has(k));
  const unknown = HELM_INSTALL_ORDER.filter((k) => !RELEASES.has(k));
  if (missing.length > 0 || unknown.length > 0 || listed.size !== HELM_INSTALL_ORDER.length) {
    throw new Error(`HELM_INSTALL_ORDER (src/components/registry.ts) must list every chart once: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`);
  }
  return HELM_INSTALL_ORDER;
}

/** The chart keys, in install order. */
export const CHART_KEYS: readonly ChartKey[] = installOrder();

/** The release of each chart key. */
export function chartRelease(key: ChartKey): HelmChartRelease<ChartKey> {
  return RELEASES.get(key)!;
}

export const HELM_CHARTS: Readonly<Record<ChartKey, HelmChart>> = Object.fromEntries(CHART_KEYS.map((k) => [k, chartRelease(k).chart])) as Record<ChartKey, HelmChart>;
