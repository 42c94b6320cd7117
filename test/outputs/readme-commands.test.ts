/**
 * The READMEs' commands, as a user pastes them: every namespace, file, workload, Service port and Secret a
 * `kubectl` line names must exist in what synth writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../src/config/environments';
import { userSecrets } from '../../src/lib/user-secrets';
import { resolveEnvironment } from '../../src/config/resolve';
import { placeholders } from '../../src/config/placeholders';
import { synthAll } from '../support/synth';

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: { ports?: Array<{ port: number }> } };

/** Lines of every ```sh block, comments and blank lines dropped. */
function shellLines(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of m[1].split('\n')) if (line.trim() !== '' && !line.trim().startsWith('#')) out.push(line.trim());
  }
  return out;
}

/** What is wrong with one `kubectl` line against an environment's files and objects; empty when nothing. */
function problems(line: string, env: string, files: ReadonlyMap<string, string>, objects: readonly Obj[]): string[] {
  const out: string[] = [];
  const has = (kind: string, name: string, ns?: string) => objects.some((o) => o.kind === kind && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns));
  const ns = / -n ([a-z0-9-]+)/.exec(line)?.[1];
  if (ns !== undefined && !has('Namespace', ns)) out.push(`namespace ${ns} is not in the output`);
  const file = / -f (dist\/\S+)/.exec(line)?.[1];
  if (file !== undefined) {
    const rel = file.replace(/^dist\//, '').replace(/\/$/, '');
    if (!files.has(rel) && ![...files.keys()].some((k) => k.startsWith(`${rel}/`))) out.push(`${file} is not written by synth`);
  }
  const rollout = /rollout status (deployment|statefulset|daemonset)\/([a-z0-9-]+)/.exec(line);
  const kinds: Record<string, string> = { deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet' };
  if (rollout && !has(kinds[rollout[1]], rollout[2], ns)) out.push(`${rollout[1]} ${ns}/${rollout[2]} does not exist`);
  const forward = /port-forward svc\/([a-z0-9-]+) \d+:(\d+)/.exec(line);
  if (forward) {
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === forward[1] && o.metadata.namespace === ns);
    if (!svc) out.push(`Service ${ns}/${forward[1]} does not exist`);
    else if (!(svc.spec?.ports ?? []).some((p) => p.port === Number(forward[2]))) out.push(`Service ${ns}/${forward[1]} has no port ${forward[2]}`);
  }
  const secret = /create secret (?:generic|tls|docker-registry) ([a-z0-9-]+)/.exec(line);
  if (secret) {
    const def = ENVIRONMENTS.find((e) => e.name === env);
    const wanted = synthAll().builds.find((b) => b.env.name === env)!.env.config;
    const s = userSecrets(wanted).find((x) => x.name === secret[1] && x.namespace === ns);
    if (!def || !s) out.push(`Secret ${ns}/${secret[1]} is not one the output references`);
    else {
      const keys = [...line.matchAll(/--from-(?:literal|file)=([^=\s]+)=/g)].map((m) => m[1]).sort();
      if (line.includes(' generic ') && keys.join(',') !== [...s.keys].sort().join(',')) out.push(`Secret ${secret[1]} gets keys ${keys.join(', ')}, the output reads ${s.keys.join(', ')}`);
    }
  }
  return out.map((p) => `${line}\n    -> ${p}`);
}

function objectsOf(files: ReadonlyMap<string, string>, env: string): Obj[] {
  return [...files].filter(([p]) => p.startsWith(`${env}/manifests/`) && p.endsWith('.yaml')).flatMap(([, t]) => loadAll(t) as Obj[]);
}

describe('README commands name what synth writes', () => {
  const { files } = synthAll();

  test.each(ENVIRONMENTS.map((e) => e.name))('dist/%s/README.md', (env) => {
    const lines = shellLines(files.get(`${env}/README.md`)!).filter((l) => l.startsWith('kubectl'));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.flatMap((l) => problems(l, env, files, objectsOf(files, env))).join('\n')).toBe('');
  });

  test('the project README\'s quick start (dev)', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 5));
    const lines = shellLines(quick).filter((l) => l.startsWith('kubectl'));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.flatMap((l) => problems(l, 'dev', files, objectsOf(files, 'dev'))).join('\n')).toBe('');
  });

  test('fails on a name the output does not have', () => {
    const objects = objectsOf(files, 'dev');
    expect(problems('kubectl -n observability rollout status deployment/nope --timeout=1m', 'dev', files, objects)).toEqual([expect.stringContaining('deployment observability/nope does not exist')]);
    expect(problems('kubectl -n observability port-forward svc/grafana 1:80', 'dev', files, objects)).toEqual([expect.stringContaining('has no port 80')]);
    expect(problems('kubectl apply -f dist/dev/manifests/nope.yaml', 'dev', files, objects)).toEqual([expect.stringContaining('not written by synth')]);
    expect(problems('kubectl -n nowhere get pods', 'dev', files, objects)).toEqual([expect.stringContaining('namespace nowhere')]);
  });
});

describe('placeholders', () => {
  const readme = (env: string) => synthAll().files.get(`${env}/README.md`)!;
  test('large lists its example buckets, store URLs and hosts; an environment that sets its own has none left', () => {
    expect(readme('large')).toMatch(/\| `loki.objectStorage.bucket` \| `obs-stack-loki` \|/);
    expect(readme('large')).toMatch(/\| `prometheus.remoteWrite\[0\].url` \| `https:\/\/mimir.example.com\/api\/v1\/push` \|/);
    const own = resolveEnvironment({
      name: 'mine', profile: 'large', overrides: {
        loki: { objectStorage: { bucket: 'acme-logs', endpoint: 'https://s3.eu-central-1.amazonaws.com', region: 'eu-central-1' } },
      },
    }).config;
    const paths = placeholders(own, 'large').map((p) => p.path);
    expect(paths).not.toContain('loki.objectStorage.bucket');
    expect(paths).toContain('tempo.objectStorage.bucket');
  });
});
