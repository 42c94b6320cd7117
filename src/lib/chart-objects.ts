/**
 * A chart's Kubernetes objects, synthesized once per chart while a stack is built and rendered. cdk8s's
 * `Chart.toJson()` resolves, sanitizes and orders the whole construct tree on every call, and the
 * NetworkPolicies' API-client list, the manifests, the summary, the README and the Helm path all read the
 * same objects. Outside `withChartObjects` every call synthesizes afresh: a chart a library user changes
 * after the stack was built is always read as it is now. `scoped` keeps other per-config results for the
 * same scope.
 */
import type { Chart } from 'cdk8s';

type KubeJson = any;

let cache: WeakMap<Chart, readonly KubeJson[]> | undefined;
/** Counts the scopes, so `scoped` results from an earlier one are never used. */
let generation = 0;

/**
 * Runs `work` with the objects of each chart kept after the first read. Inside it, read a chart only once
 * it is finished (the composition root adds nothing to a chart after its passes), and change no chart.
 */
export function withChartObjects<T>(work: () => T): T {
  if (cache !== undefined) return work();
  cache = new WeakMap();
  generation++;
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

/**
 * `compute`, remembered per key (a config) until the current `withChartObjects` scope ends, where configs do
 * not change either; outside a scope every call computes afresh.
 */
export function scoped<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  let memo = new WeakMap<K, V>();
  let memoGeneration = -1;
  return (key) => {
    if (cache === undefined) return compute(key);
    if (memoGeneration !== generation) {
      memo = new WeakMap();
      memoGeneration = generation;
    }
    if (!memo.has(key)) memo.set(key, compute(key));
    return memo.get(key) as V;
  };
}
