/**
 * The plain-YAML output: one file per component chart under `dist/<env>/manifests/`, each a stream of
 * Kubernetes objects in the order the chart created them, plus the folder's Kustomize file.
 */
import { chartObjects } from '../lib/chart-objects';
import type { StackBuild } from '../stack';
import { toYamlStream } from '../lib/yaml';
import { KUSTOMIZATION_FILE, renderKustomization } from './gitops';

/** Files of one environment's manifests folder, keyed by file name. */
export function renderManifests(build: StackBuild): Map<string, string> {
  const files = new Map<string, string>();
  for (const chart of build.charts) {
    files.set(`${chart.node.id}.yaml`, toYamlStream(chartObjects(chart)));
  }
  files.set(KUSTOMIZATION_FILE, renderKustomization([...files.keys()]));
  return files;
}
