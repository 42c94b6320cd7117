/**
 * Every environment's manifests folder builds with `kubectl kustomize`: the emitted kustomization.yaml
 * when the synth writes one, else a generated one listing every file.
 */
import { loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../src/config/environments';
import { synthesize } from '../../src/outputs/synthesize';
import { itWithTool, kustomizeBuild, manifestsFolder } from '../support/checks';
import { manifestObjects } from '../support/synth';

const itKubectl = itWithTool('kubectl', ['version', '--client']);
const synth = synthesize(ENVIRONMENTS);

describe('kubectl kustomize', () => {
  it.each(ENVIRONMENTS.map((e) => e.name))('%s: a kustomization lists every manifest', (env) => {
    const { files } = manifestsFolder(synth.files, env);
    const k = files.get('kustomization.yaml')!;
    for (const name of files.keys()) if (name !== 'kustomization.yaml') expect(k).toContain(name);
  });

  itKubectl.each(ENVIRONMENTS.map((e) => e.name))('%s: manifests build, with every object kept', (env) => {
    const { files } = manifestsFolder(synth.files, env);
    const r = kustomizeBuild(files);
    expect(r.ok ? 'ok' : r.output).toBe('ok');
    const built = (loadAll(r.output) as Array<{ kind: string }>).filter((o) => o);
    expect(built).toHaveLength(manifestObjects(synth, env).length);
  });

  it('uses the emitted kustomization.yaml when the synth writes one', () => {
    const files = new Map([['e/manifests/a.yaml', 'x'], ['e/manifests/kustomization.yaml', 'resources: [a.yaml]\n']]);
    expect(manifestsFolder(files, 'e')).toEqual({ files: new Map([['a.yaml', 'x'], ['kustomization.yaml', 'resources: [a.yaml]\n']]), generated: false });
  });

  itKubectl('fails on a manifests folder with a broken file', () => {
    const files = new Map(synth.files);
    files.set('dev/manifests/broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: [not, a, map]\n');
    expect(kustomizeBuild(manifestsFolder(files, 'dev').files).ok).toBe(false);
    const dup = new Map(synth.files);
    dup.set('dev/manifests/zz-dup.yaml', synth.files.get('dev/manifests/prometheus.yaml')!);
    expect(kustomizeBuild(manifestsFolder(dup, 'dev').files).ok).toBe(false);
  });
});
