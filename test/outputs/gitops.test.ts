import { load, loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../src/config/environments';
import { resolveEnvironments } from '../../src/config/resolve';
import type { EnvironmentDefinition } from '../../src/config/types';
import { KUSTOMIZATION_FILE, SYNC_WAVE_ANNOTATION, syncWave } from '../../src/outputs/gitops';
import { synthesize } from '../../src/outputs/synthesize';
import { manifestObjects, synthAll } from '../support/synth';

const STAGING: EnvironmentDefinition = {
  name: 'staging',
  profile: 'prod',
  overrides: { common: { clusterName: 'staging-eu' }, argocd: { automated: true, prune: true, destinationServer: 'https://staging.k8s.example.com:6443' } },
};

function applications(files: Map<string, string>): any[] {
  // The Helm path's Applications (argocd/helm/) are tested in test/outputs/helm.
  return [...files.entries()].filter(([p]) => p.startsWith('argocd/') && !p.startsWith('argocd/helm/')).flatMap(([, c]) => loadAll(c) as any[]);
}

let staging: ReturnType<typeof synthesize> | undefined;
/** The project's environments plus STAGING, synthesized once for this file. */
function withStaging(): ReturnType<typeof synthesize> {
  staging ??= synthesize([...ENVIRONMENTS, STAGING]);
  return staging;
}

describe('GitOps packaging', () => {
  const result = synthAll();

  test('each manifests folder holds only Kubernetes objects plus its Kustomize file listing all of them', () => {
    for (const env of result.environments) {
      const names = [...result.files.keys()].filter((p) => p.startsWith(`${env}/manifests/`)).map((p) => p.slice(`${env}/manifests/`.length));
      expect(names).toContain(KUSTOMIZATION_FILE);
      const k = load(result.files.get(`${env}/manifests/${KUSTOMIZATION_FILE}`)!) as { resources: string[] };
      expect(k.resources).toEqual(names.filter((n) => n !== KUSTOMIZATION_FILE).sort());
      // kubectl apply -f <folder> reads only .yaml/.yml/.json files: the Kustomize file must not be one.
      expect(KUSTOMIZATION_FILE).not.toMatch(/\.(ya?ml|json)$/);
      for (const o of manifestObjects(result, env)) expect(o.apiVersion).not.toMatch(/kustomize/);
    }
  });

  test('sync waves order namespaces, then RBAC and config, then claims together with workloads', () => {
    expect(syncWave('Namespace')).toBeLessThan(syncWave('ClusterRole'));
    expect(syncWave('ConfigMap')).toBeLessThan(syncWave('PersistentVolumeClaim'));
    // A claim of a WaitForFirstConsumer class binds only once its pod exists: same wave, or the sync hangs.
    expect(syncWave('PersistentVolumeClaim')).toBe(syncWave('Deployment'));
    for (const o of manifestObjects(result, 'prod')) {
      expect(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]).toBe(String(syncWave(o.kind)));
      expect(o.metadata.annotations).not.toHaveProperty('helm.sh/hook');
      expect(o.kind).not.toBe('Job');
    }
  });

  test('ArgoCD Applications point at folders that exist, and at nothing else', () => {
    const apps = applications(result.files);
    const root = apps.find((a) => a.metadata.name === 'obs-stack');
    expect(root.spec.source.path).toBe('dist/argocd/apps');
    const envApps = apps.filter((a) => a !== root);
    expect(envApps.map((a) => a.spec.source.path).sort()).toEqual(ENVIRONMENTS.map((e) => `dist/${e.name}/manifests`).sort());
    for (const a of apps) {
      const folder = a.spec.source.path.replace(/^dist\//, '');
      expect([...result.files.keys()].some((p) => p.startsWith(`${folder}/`))).toBe(true);
      expect(a.spec.syncPolicy.syncOptions).toContain('CreateNamespace=false');
    }
  });

  test('automated sync and prune are opt-in per environment', () => {
    const files = withStaging().files;
    const byName = Object.fromEntries(applications(files).map((a) => [a.metadata.name, a]));
    expect(byName['obs-stack-prod'].spec.syncPolicy.automated).toBeUndefined();
    expect(byName['obs-stack-staging'].spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test('GIVEN a staging environment in a few lines THEN it gets its own folder and Application', () => {
    const files = withStaging().files;
    expect(files.has('staging/manifests/prometheus.yaml')).toBe(true);
    expect(files.has('argocd/apps/staging.yaml')).toBe(true);
    expect(files.get('staging/manifests/prometheus.yaml')).toContain('cluster: staging-eu');
  });

  test('fails when two environments would sync the same namespaces into the same cluster', () => {
    const twin: EnvironmentDefinition = { name: 'twin', profile: 'dev' };
    expect(() => resolveEnvironments([...ENVIRONMENTS, twin]))
      .toThrow('environments.twin.argocd.destinationServer: "https://kubernetes.default.svc" deploys namespace "observability" (common.namespace) to the same cluster as environment "dev" (its common.namespace), and the two would overwrite each other\'s objects; give each environment its own cluster');
    const ownNamespaces: EnvironmentDefinition = { name: 'twin', profile: 'dev', overrides: { common: { namespace: 'obs-twin', agentNamespace: 'obs-twin-agents' } } };
    expect(() => resolveEnvironments([...ENVIRONMENTS, ownNamespaces])).not.toThrow();
  });

  test('fails when environments read dist/ from different repositories', () => {
    const other: EnvironmentDefinition = { name: 'other', profile: 'dev', overrides: { argocd: { repoURL: 'https://git.example.com/x.git' } } };
    expect(() => resolveEnvironments([...ENVIRONMENTS, other])).toThrow('environments.other.argocd.repoURL: "https://git.example.com/x.git" differs');
  });
});
