/**
 * A chart's Kubernetes objects, synthesized once per chart while a stack is built and rendered. cdk8s's
 * `Chart.toJson()` resolves, sanitizes and orders the whole construct tree on every call, and the
 * NetworkPolicies' API-client list, the manifests, the summary, the README and the Helm path all read the
 * same objects. Outside `withChartObjects` every call synthesizes afresh: a chart a library user changes
 * after the stack was built is always read as it is now.
 */
import type { Chart } from 'cdk8s';

type KubeJson = any;

let cache: WeakMap<Chart, readonly KubeJson[]> | undefined;

/**
 * Runs `work` with the objects of each chart kept after the first read. Inside it, read a chart only once
 * it is finished (the composition root adds nothing to a chart after its passes), and change no chart.
 */
export function withChartObjects<T>(work: () => T): T {
  if (cache !== undefined) return work();
  cache = new WeakMap();
  try {
    return work();
  } finally {
    cache = undefined;
  }
}

/** The chart's objects (inside `withChartObjects` shared between callers: they must not modify them). */
export function chartObjects(chart: Chart): readonly KubeJson[] {
  if (cache === undefined) return chart.toJson();
  let objects = cache.get(chart);
  if (objects === undefined) {
    objects = Object.freeze(chart.toJson());
    cache.set(chart, objects);
  }
  return objects;
}
