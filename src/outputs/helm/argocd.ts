/**
 * ArgoCD Applications for the Helm path: one per chart per environment under `argocd/helm/<env>/`, plus
 * one that applies the environment's namespaces from the manifests. They are NOT listed by the root
 * app-of-apps (which reads `dist/argocd/apps`, the manifests path): a cluster runs one path or the other.
 *
 * Each Application is a chart source with `helm.valuesObject` inline (the same object as
 * `values-<chart>.yaml`): no second source, no `$values` ref, and the Application alone says what runs.
 * A directory Application applies `dist/<env>/helm/extra/` (the objects the charts do not create). Sync
 * waves: namespaces (-1), then `extra/` (0), then the releases (1), so what a release's pods mount from
 * `extra/` exists before they start.
 */
import type { ResolvedEnvironment } from '../../config/types';
import { Labeler } from '../../lib/labels';
import { toYamlStream } from '../../lib/yaml';
import { ARGOCD_DIR, SYNC_WAVE_ANNOTATION } from '../gitops';
import { HELM_EXTRA_DIR } from './extra';
import type { HelmRelease } from './helmfile';

export const ARGOCD_HELM_DIR = `${ARGOCD_DIR}/helm`;

function metadata(name: string, env: ResolvedEnvironment, wave: number) {
  return {
    name,
    namespace: env.config.argocd.namespace,
    labels: new Labeler(env.name, env.config.common.labels).stackLabels(),
    annotations: { [SYNC_WAVE_ANNOTATION]: String(wave) },
  };
}

function syncPolicy(env: ResolvedEnvironment) {
  const a = env.config.argocd;
  return {
    ...(a.automated ? { automated: { prune: a.prune, selfHeal: true } } : {}),
    syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'],
  };
}

export function helmApplicationName(env: string, release: string): string {
  return `obs-stack-${env}-helm-${release}`;
}

export function renderHelmApplications(env: ResolvedEnvironment, releases: readonly HelmRelease[], values: ReadonlyMap<string, unknown>, extra: boolean): Map<string, string> {
  const a = env.config.argocd;
  const files = new Map<string, string>();
  const dir = `${ARGOCD_HELM_DIR}/${env.name}`;
  // The namespaces first (wave -1): a directory source limited to 00-namespaces.yaml. `directory` makes the
  // source type explicit, so the Kustomize file in the folder is not used.
  files.set(`${dir}/00-namespaces.yaml`, toYamlStream([{
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: metadata(`obs-stack-${env.name}-helm-namespaces`, env, -1),
    spec: {
      project: 'default',
      source: { repoURL: a.repoURL, targetRevision: a.targetRevision, path: `dist/${env.name}/manifests`, directory: { include: '00-namespaces.yaml' } },
      destination: { server: a.destinationServer, namespace: env.config.common.namespace },
      syncPolicy: syncPolicy(env),
    },
  }]));
  if (extra) {
    files.set(`${dir}/00-${HELM_EXTRA_DIR}.yaml`, toYamlStream([{
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: metadata(`obs-stack-${env.name}-helm-${HELM_EXTRA_DIR}`, env, 0),
      spec: {
        project: 'default',
        source: { repoURL: a.repoURL, targetRevision: a.targetRevision, path: `dist/${env.name}/helm/${HELM_EXTRA_DIR}`, directory: { recurse: false } },
        destination: { server: a.destinationServer, namespace: env.config.common.namespace },
        syncPolicy: syncPolicy(env),
      },
    }]));
  }
  for (const r of releases) {
    files.set(`${dir}/${r.release}.yaml`, toYamlStream([{
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: metadata(helmApplicationName(env.name, r.release), env, 1),
      spec: {
        project: 'default',
        source: {
          repoURL: r.chart.repository.url,
          chart: r.chart.chart,
          targetRevision: r.chart.version,
          helm: { releaseName: r.release, valuesObject: values.get(r.release) },
        },
        destination: { server: a.destinationServer, namespace: r.namespace },
        syncPolicy: syncPolicy(env),
      },
    }]));
  }
  return files;
}
