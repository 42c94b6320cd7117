/**
 * A chart's Kubernetes objects, synthesized once per chart. cdk8s's `Chart.toJson()` resolves, sanitizes and
 * orders the whole construct tree on every call, and the manifests, the summary, the README and the
 * NetworkPolicies' API-client list all read the same objects. Call it only on a finished chart: the
 * composition root adds nothing to a chart after its last pass (the disruption budgets), and obs-stack
 * uses no cdk8s `Lazy` values, so the objects cannot change afterwards.
 */
import type { Chart } from 'cdk8s';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KubeJson = any;

const synthesized = new WeakMap<Chart, readonly KubeJson[]>();

/** The chart's objects (shared: callers must not modify them). */
export function chartObjects(chart: Chart): readonly KubeJson[] {
  let objects = synthesized.get(chart);
  if (objects === undefined) {
    objects = Object.freeze(chart.toJson());
    synthesized.set(chart, objects);
  }
  return objects;
}
