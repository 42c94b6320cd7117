/**
 * GitOps packaging: the file that makes each manifests folder a Kustomize base, ArgoCD sync waves on every
 * object, and the ArgoCD Applications (an app-of-apps root plus one Application per environment).
 */
import type { ResolvedEnvironment } from '../config/types';
import { Labeler } from '../lib/labels';
import { toYaml, toYamlStream } from '../lib/yaml';

/**
 * The Kustomize file's name. Kustomize and ArgoCD accept `Kustomization` as well as `kustomization.yaml`;
 * without the `.yaml` extension `kubectl apply -f <folder>` skips it instead of trying to apply a
 * `Kustomization` object, so `-f`, `-k` and an ArgoCD directory source all work on the same folder.
 */
export const KUSTOMIZATION_FILE = 'Kustomization';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Apply order for ArgoCD: namespaces, then identity and config, then storage and what runs. Standalone
 * PersistentVolumeClaims share the workloads' wave on purpose: with a `WaitForFirstConsumer` StorageClass
 * (kind's default, gp3, ...) a claim stays Pending until a pod uses it, and ArgoCD would wait for it forever
 * if it had a wave of its own.
 */
const SYNC_WAVES: Readonly<Record<string, number>> = {
  Namespace: -3,
  PriorityClass: -3,
  ServiceAccount: -2,
  ClusterRole: -2,
  ClusterRoleBinding: -2,
  Role: -2,
  RoleBinding: -2,
  ConfigMap: -2,
  NetworkPolicy: -2,
};
/** Workloads, their claims, Services, Ingresses, PodDisruptionBudgets. */
const DEFAULT_WAVE = 0;

export function syncWave(kind: string): number {
  return SYNC_WAVES[kind] ?? DEFAULT_WAVE;
}

interface ObjectWithMeta {
  kind: string;
  metadata: { annotations?: Record<string, string> };
}

/** The objects with the sync-wave annotation added (copies: the objects given stay as they are). */
export function withSyncWaves<T extends ObjectWithMeta>(objects: readonly T[]): T[] {
  return objects.map((o) => ({
    ...o,
    metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), [SYNC_WAVE_ANNOTATION]: String(syncWave(o.kind)) } },
  }));
}

export function renderKustomization(files: readonly string[]): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...files].sort() });
}

/** Name of an environment's Application. */
export function applicationName(env: string): string {
  return `obs-stack-${env}`;
}

/** The folder ArgoCD reads for the Application objects themselves. */
export const ARGOCD_DIR = 'argocd';

interface SourceSpec {
  repoURL: string;
  targetRevision: string;
  path: string;
}

function application(name: string, env: ResolvedEnvironment, source: SourceSpec, destinationNamespace: string): unknown {
  const a = env.config.argocd;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: a.namespace, labels: new Labeler(env.name, env.config.common.labels).stackLabels() },
    spec: {
      project: 'default',
      source,
      destination: { server: a.destinationServer, namespace: destinationNamespace },
      syncPolicy: {
        ...(a.automated ? { automated: { prune: a.prune, selfHeal: true } } : {}),
        // The namespaces are part of the manifests (with their Pod Security labels); ArgoCD must not
        // create them bare. Server-side apply: the dashboards ConfigMap outgrows the client-side
        // last-applied annotation limit (256 KiB).
        syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'],
      },
    },
  };
}

/**
 * `argocd/root.yaml` (the app-of-apps: apply it once) and `argocd/apps/<env>.yaml`. The root takes its
 * repository, revision and ArgoCD namespace from the first environment.
 */
export function renderArgoCd(envs: readonly ResolvedEnvironment[]): Map<string, string> {
  const files = new Map<string, string>();
  if (envs.length === 0) return files;
  const first = envs[0];
  files.set(`${ARGOCD_DIR}/root.yaml`, toYamlStream([application('obs-stack', first, {
    repoURL: first.config.argocd.repoURL,
    targetRevision: first.config.argocd.targetRevision,
    path: `dist/${ARGOCD_DIR}/apps`,
  }, first.config.argocd.namespace)]));
  for (const env of envs) {
    files.set(`${ARGOCD_DIR}/apps/${env.name}.yaml`, toYamlStream([application(applicationName(env.name), env, {
      repoURL: env.config.argocd.repoURL,
      targetRevision: env.config.argocd.targetRevision,
      path: `dist/${env.name}/manifests`,
    }, env.config.common.namespace)]));
  }
  return files;
}
