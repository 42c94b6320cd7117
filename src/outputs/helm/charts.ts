/**
 * The charts the Helm path installs and the components it runs, gathered from the registry: each component's
 * `helm` part (`src/components/<name>/helm.ts`) names its chart or the subchart that renders it.
 */
import { REGISTRY } from '../../components/registry';
import type { ChartKey, ComponentHelm, HelmChart, HelmChartRelease } from '../../lib/helm';

export { chartRef, type ChartKey, type HelmChart, type HelmRepository } from '../../lib/helm';

/** A component the Helm path runs: its registry id (its name in wires and selectors) and its `helm` part. */
export interface HelmComponent {
  readonly id: string;
  readonly helm: ComponentHelm<ChartKey>;
}

/** Every component with a `helm` part, in registry order. */
export const HELM_COMPONENTS: readonly HelmComponent[] = REGISTRY.flatMap((c) => (c.helm ? [{ id: c.id, helm: c.helm }] : []));

const RELEASES = new Map<string, HelmChartRelease<ChartKey>>();
for (const c of HELM_COMPONENTS) {
  const release = c.helm.release;
  if (release === undefined) continue;
  if (RELEASES.has(release.chart.key)) throw new Error(`internal: two components are released with chart ${release.chart.key}`);
  RELEASES.set(release.chart.key, release);
}

/** Registry order, the `first` releases before and the `last` ones after (`HelmChartRelease.install`). */
function installOrder(): readonly ChartKey[] {
  const rank = (r: HelmChartRelease<ChartKey>) => (r.install === 'first' ? 0 : r.install === 'last' ? 2 : 1);
  return [...RELEASES.values()].sort((a, b) => rank(a) - rank(b)).map((r) => r.chart.key);
}

/** The chart keys, in install order. */
export const CHART_KEYS: readonly ChartKey[] = installOrder();

/** The release of each chart key. */
export function chartRelease(key: ChartKey): HelmChartRelease<ChartKey> {
  return RELEASES.get(key)!;
}

export const HELM_CHARTS: Readonly<Record<ChartKey, HelmChart>> = Object.fromEntries(CHART_KEYS.map((k) => [k, chartRelease(k).chart])) as Record<ChartKey, HelmChart>;
