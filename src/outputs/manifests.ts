/**
 * The plain-YAML output: one file per component chart under `dist/<env>/manifests/`, each a stream of
 * Kubernetes objects in the order the chart created them.
 */
import type { StackBuild } from '../stack';
import { toYamlStream } from '../lib/yaml';

/** Files of one environment's manifests folder, keyed by file name. */
export function renderManifests(build: StackBuild): Map<string, string> {
  const files = new Map<string, string>();
  for (const chart of build.charts) {
    files.set(`${chart.node.id}.yaml`, toYamlStream(chart.toJson()));
  }
  return files;
}
