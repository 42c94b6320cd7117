/** What every component chart goes through once its component built it, in this order. */
import type { ApiObject, Chart } from 'cdk8s';
import type { PodSettings } from '../config/pods';
import type { StackConfig } from '../config/types';
import { addConfigChecksums } from '../lib/checksums';
import { addDisruptionBudgets } from '../lib/kube';
import { applyAnnotations, applyPodSettings } from '../lib/pod-settings';
import { addSyncWaves } from './gitops';

export function finishChart(chart: Chart, cfg: StackConfig, pods: PodSettings | undefined): void {
  if (pods !== undefined) applyPodSettings(chart, pods);
  // The next two passes read the same objects before either changes one: each synthesized once.
  const json = new Map<ApiObject, unknown>();
  const objectJson = (o: ApiObject): unknown => (json.has(o) ? json.get(o) : json.set(o, o.toJson()).get(o));
  addDisruptionBudgets(chart, objectJson);
  addConfigChecksums(chart, objectJson);
  addSyncWaves(chart);
  applyAnnotations(chart, cfg.common.annotations);
}
