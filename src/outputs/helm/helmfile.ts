/**
 * `dist/<env>/helm/helmfile.yaml` and the plain `helm` command lines, both from the same release list, so
 * `helmfile apply` and the README's `helm upgrade --install` lines install exactly the same thing.
 */
import { compareStrings } from '../../lib/order';
import { toYaml } from '../../lib/yaml';
import { chartRef, type HelmChart, type HelmRepository } from './charts';

/** One release of one environment. */
export interface HelmRelease {
  readonly release: string;
  readonly chart: HelmChart;
  readonly namespace: string;
  /** Values file name, relative to the helm folder. */
  readonly valuesFile: string;
}

export function valuesFileName(chart: HelmChart): string {
  return `values-${chart.key}.yaml`;
}

function repositories(releases: readonly HelmRelease[]): HelmRepository[] {
  const byName = new Map<string, HelmRepository>();
  for (const r of releases) byName.set(r.chart.repository.name, r.chart.repository);
  return [...byName.values()].sort((a, b) => compareStrings(a.name, b.name));
}

export function renderHelmfile(releases: readonly HelmRelease[]): string {
  return toYaml({
    repositories: repositories(releases).map((r) => ({ name: r.name, url: r.url })),
    releases: releases.map((r) => ({
      name: r.release,
      namespace: r.namespace,
      chart: chartRef(r.chart),
      version: r.chart.version,
      // The namespaces (with their Pod Security labels) come from manifests/00-namespaces.yaml.
      createNamespace: false,
      values: [r.valuesFile],
    })),
  });
}

/** `helm repo add` lines, then one `helm upgrade --install` per release, in install order. */
export function helmCommands(releases: readonly HelmRelease[]): string[] {
  return [
    ...repositories(releases).map((r) => `helm repo add ${r.name} ${r.url}`),
    'helm repo update',
    ...releases.map((r) => `helm upgrade --install ${r.release} ${chartRef(r.chart)} --version ${r.chart.version} -n ${r.namespace} -f ${r.valuesFile}`),
  ];
}
