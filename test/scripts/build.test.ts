/**
 * The compiled synth's staleness check (scripts/build.js) on a small project of its own: the fingerprint
 * follows every input, and ensureBuilt rebuilds exactly when it changed, so a stale build never runs.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

const build = require('../../scripts/build.js') as typeof import('../../scripts/build.js');
/** The build script's path as a string literal, for the child processes' scripts. */
const BUILD_JS = JSON.stringify(require.resolve('../../scripts/build.js'));
const { fingerprint } = build;
const ensureBuilt = (dir: string): string => build.ensureBuilt(dir, () => undefined);

let root: string;

/** Sets every file's times to a whole second an hour back (older than statPrint's two-second window). */
function age(dir = root): void {
  const hourAgo = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) age(p);
    else utimesSync(p, hourAgo, hourAgo);
  }
}

function write(rel: string, content: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'obs-stack-build-'));
  write('src/main.ts', "import { MARK } from './mark';\nexport function main(): string { return MARK; }\n");
  write('src/mark.ts', "export const MARK = 'first-version';\n");
  write('imports/k8s.ts', 'export {};\n');
  write('package.json', '{"name":"t","private":true}\n');
  write('tsconfig.json', '{}\n');
  write('node_modules/.package-lock.json', '{"packages":{}}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('fingerprint', () => {
  test('changes with the content of a source, an added or removed file, the config and the installed packages', () => {
    const seen = new Set([fingerprint(root)]);
    const changed = (what: string, edit: () => void): void => {
      edit();
      const fp = fingerprint(root);
      expect(`${what}: ${seen.has(fp) ? 'unchanged' : 'changed'}`).toBe(`${what}: changed`);
      seen.add(fp);
    };
    changed('a source edited', () => write('src/mark.ts', "export const MARK = 'second-version';\n"));
    changed('a file added under src/', () => write('src/extra.ts', 'export {};\n'));
    changed('a file under imports/ edited', () => write('imports/k8s.ts', 'export const x = 1;\n'));
    changed('a file renamed', () => { rmSync(join(root, 'src/extra.ts')); write('src/extra2.ts', 'export {};\n'); });
    changed('package.json', () => write('package.json', '{"name":"t","private":true,"x":1}\n'));
    changed('tsconfig.json', () => write('tsconfig.json', '{"compilerOptions":{}}\n'));
    changed('a package installed', () => write('node_modules/.package-lock.json', '{"packages":{"node_modules/a":{}}}\n'));
  });

  test('does not depend on file times', () => {
    const before = fingerprint(root);
    utimesSync(join(root, 'src/mark.ts'), new Date(0), new Date(0));
    expect(fingerprint(root)).toBe(before);
  });
});

describe('ensureBuilt', () => {
  test('builds when there is no build, keeps a current one, rebuilds after an edit or a damaged bundle', () => {
    const bundle = ensureBuilt(root);
    expect(readFileSync(bundle, 'utf8')).toContain('first-version');
    const built = statSync(bundle).mtimeMs;

    // Nothing changed: the same file is used as is.
    expect(ensureBuilt(root)).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(built);

    // An edit with the same length and an old file time is still seen (content, not times).
    write('src/mark.ts', "export const MARK = 'secnd-version';\n");
    utimesSync(join(root, 'src/mark.ts'), new Date(0), new Date(0));
    expect(readFileSync(ensureBuilt(root), 'utf8')).toContain('secnd-version');

    // A bundle that is not the one recorded (cut short, or edited by hand) is rebuilt.
    truncateSync(bundle, 10);
    expect(readFileSync(ensureBuilt(root), 'utf8')).toContain('secnd-version');
    appendFileSync(bundle, '\n// edited\n');
    expect(readFileSync(ensureBuilt(root), 'utf8')).not.toContain('// edited');
  });

  const record = (): { fingerprint: string; stat: string } | undefined => {
    try {
      return JSON.parse(readFileSync(join(root, 'build', 'synth.inputs.json'), 'utf8'));
    } catch {
      return undefined;
    }
  };
  const stampFingerprint = (): string => JSON.parse(readFileSync(join(root, 'build', 'synth.stamp.json'), 'utf8')).fingerprint;
  /** Runs `work` with the clock ten seconds ahead: every time on disk is then settled. */
  const later = <T>(work: () => T): T => {
    jest.useFakeTimers({ now: Date.now() + 10_000 });
    try {
      return work();
    } finally {
      jest.useRealTimers();
    }
  };

  test('records the inputs\' times only once they are settled, and a touch without an edit keeps the build', () => {
    const bundle = ensureBuilt(root);
    const built = statSync(bundle).mtimeMs;
    // Just written: the times cannot vouch for anything yet.
    expect(build.statPrint(root).settled).toBe(false);
    expect(record()).toBeUndefined();
    later(() => {
      expect(ensureBuilt(root)).toBe(bundle);
      expect(record()).toEqual({ fingerprint: stampFingerprint(), stat: build.statPrint(root).digest });
    });
    const before = record()!.stat;
    utimesSync(join(root, 'src/mark.ts'), new Date(1000), new Date(1000));
    later(() => {
      expect(ensureBuilt(root)).toBe(bundle);
      expect(record()!.stat).not.toBe(before);
      expect(record()!.stat).toBe(build.statPrint(root).digest);
    });
    expect(statSync(bundle).mtimeMs).toBe(built);
  });

  test('an edit that keeps the size and puts the modification time back is caught (the change time moved)', () => {
    age();
    later(() => ensureBuilt(root));
    expect(record()).toBeDefined();
    const { mtime } = statSync(join(root, 'src/mark.ts'));
    write('src/mark.ts', "export const MARK = 'secnd-version';\n");
    utimesSync(join(root, 'src/mark.ts'), mtime, mtime);
    expect(statSync(join(root, 'src/mark.ts')).mtime).toEqual(mtime);
    later(() => expect(readFileSync(ensureBuilt(root), 'utf8')).toContain('secnd-version'));
  });

  test('a record of the right times for another fingerprint than the stamp\'s vouches for nothing', () => {
    // A run that checked the first version writes its record while another run builds the second one;
    // then the sources go back to the first version.
    age();
    later(() => ensureBuilt(root));
    const first = stampFingerprint();
    write('src/mark.ts', "export const MARK = 'secnd-version';\n");
    later(() => ensureBuilt(root));
    write('src/mark.ts', "export const MARK = 'first-version';\n");
    later(() => writeFileSync(join(root, 'build', 'synth.inputs.json'), JSON.stringify({ fingerprint: first, stat: build.statPrint(root).digest })));
    expect(fingerprint(root)).toBe(first);
    later(() => expect(readFileSync(ensureBuilt(root), 'utf8')).toContain('first-version'));
  });

  test('builds bundles that are ASCII unless a regular expression holds other characters', () => {
    const ascii = (): boolean => !/[^\x00-\x7f]/.test(readFileSync(ensureBuilt(root), 'latin1'));
    // esbuild escapes non-ASCII characters in strings...
    write('src/mark.ts', "export const MARK = 'gr\u00fc\u00dfe \u00b5s';\n");
    expect(ascii()).toBe(true);
    // ...but not in regular expressions: that bundle is read as UTF-8.
    write('src/mark.ts', "export const MARK = /\u03bcs/.source;\n");
    expect(readFileSync(ensureBuilt(root), 'utf8')).toContain('\u03bcs');
    expect(ascii()).toBe(false);
    // The stamp says so, and loadSynth reads the bundle as UTF-8.
    expect(JSON.parse(readFileSync(join(root, 'build', 'synth.stamp.json'), 'utf8')).ascii).toBe(false);
    const child = `process.stdout.write(require(${BUILD_JS}).loadSynth(${JSON.stringify(root)}).main());`;
    expect(spawnSync(process.execPath, ['-e', child], { encoding: 'utf8' }).stdout).toBe('\u03bcs');
  });

  test('builds one function that calls itself: a module for require, the function alone for loadSynth, mapped to the sources', () => {
    write('src/mark.ts', "export const MARK = 'first-version';\nexport function fail(): never {\n  throw new Error('from mark.ts');\n}\n");
    write('src/main.ts', "import { fail } from './mark';\nexport function main(): string { return fail(); }\n");
    const bundle = ensureBuilt(root);
    const bytes = readFileSync(bundle);
    const text = bytes.toString('latin1');
    expect(text.startsWith('(function (exports, require, module, __filename, __dirname) {\n')).toBe(true);
    expect(text.endsWith('}).call(this, exports, require, module, __filename, __dirname);\n//# sourceMappingURL=synth.js.map\n')).toBe(true);
    const source = build.bundleSource(bytes, true);
    expect(source.endsWith('\n})')).toBe(true);
    expect(typeof new Script(source).runInThisContext()).toBe('function');
    // A stack trace names the TypeScript line through the map, and the bundle's own line without it.
    const run = (flags: string[] = [], nodeOptions = ''): string => spawnSync(process.execPath, [...flags, '-e',
      `require(${BUILD_JS}).loadSynth(${JSON.stringify(root)}).main();`],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: nodeOptions } }).stderr;
    expect(run(['--enable-source-maps'])).toMatch(/at fail \(\S*src\/mark\.ts:3:9\)/);
    expect(run([], '--enable-source-maps')).toMatch(/at fail \(\S*src\/mark\.ts:3:9\)/);
    const line = text.split('\n').findIndex((l) => l.includes('from mark.ts')) + 1;
    expect(run()).toContain(`${bundle}:${line}:`);
  });

  test('refuses an entry point with a hashbang line, which would come before the bundle\'s first line', () => {
    write('src/main.ts', "#!/usr/bin/env node\nexport function main(): string { return 'x'; }\n");
    expect(() => ensureBuilt(root)).toThrow(/src\/main\.ts starts with a hashbang line \(#!\): remove it/);
  });
});

describe('loadSynth', () => {
  test('holds the young generation only on the V8 it was measured on, never against the user\'s semi-space flags or frozen flags', () => {
    expect(build.holdsYoungGeneration('11.3.244.8-node.38', [], undefined)).toBe(true);
    expect(build.holdsYoungGeneration('11.3.244.8-node.38', ['--max-old-space-size=4096'], '--enable-source-maps')).toBe(true);
    expect(build.holdsYoungGeneration('12.4.254.21-node.33', [], undefined)).toBe(false);
    expect(build.holdsYoungGeneration('11.3.244.8-node.38', ['--max-semi-space-size=64'], undefined)).toBe(false);
    expect(build.holdsYoungGeneration('11.3.244.8-node.38', ['--semi_space_growth_factor=4'], undefined)).toBe(false);
    expect(build.holdsYoungGeneration('11.3.244.8-node.38', [], '--min-semi-space-size=16')).toBe(false);
    expect(build.holdsYoungGeneration('11.3.244.8-node.38', ['--freeze-flags-after-init'], undefined)).toBe(false);
  });

  test('keeps a code cache that the next run accepts, and V8\'s flags as they were once loaded, also when the bundle exits while loading', () => {
    const cache = join(root, 'build', 'synth.js.v8cache');
    // The child loads the synth, then asks V8 whether it would take the cache there is now: V8 rejects a
    // cache made under other flags, so a flag still changed after loading reads as 'rejected'.
    const child = [
      `require(${BUILD_JS}).loadSynth(${JSON.stringify(root)});`,
      "const { readFileSync, existsSync } = require('node:fs'); const { Script } = require('node:vm');",
      `const file = ${JSON.stringify(join(root, 'build', 'synth.js'))}; const cache = ${JSON.stringify(cache)};`,
      `const { bundleSource } = require(${BUILD_JS}); const { isAscii } = require('node:buffer');`,
      "const bytes = readFileSync(file);",
      "process.stdout.write(!existsSync(cache) ? 'none' : new Script(bundleSource(bytes, isAscii(bytes)), { filename: file, cachedData: readFileSync(cache) }).cachedDataRejected ? 'rejected' : 'accepted');",
    ].join('\n');
    const load = (): { ino: number; mtimeMs: number; afterLoading: string } => {
      const r = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8' });
      expect({ status: r.status, stderr: r.stderr.replace(/^obs-stack: built build\/synth\.js in \d+ ms\n/, '') }).toEqual({ status: 0, stderr: '' });
      const { ino, mtimeMs } = statSync(cache);
      return { ino, mtimeMs, afterLoading: r.stdout };
    };
    // A cache made with a V8 flag still changed would be rejected, and written anew, on every run.
    const made = load();
    expect(made.afterLoading).toBe('none');
    expect(load()).toEqual({ ...made, afterLoading: 'accepted' });
    write('src/main.ts', "process.exit(0);\nexport function main(): string { return 'exits'; }\n");
    const remade = load();
    expect(remade.ino).not.toBe(made.ino);
    expect(load()).toEqual(remade);
  });
});

describe('the bundle', () => {
  test('src imports zod\'s values as a namespace, which esbuild trims to the parts used', () => {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const src = join(__dirname, '..', '..', 'src');
    // `import { z } from 'zod'` keeps all of zod in the bundle (its locales, JSON Schema conversion: 450 KiB).
    const named = walk(src).filter((f) => /^import \{[^}]*\} from 'zod'/m.test(readFileSync(f, 'utf8'))).map((f) => f.slice(src.length + 1));
    expect(named).toEqual([]);
  });

  test('keeps the Grafana SDK v1 builders and cdk8s, and replaces the SDK v2 modules and the YAML library cdk8s loads by modules that throw, naming the list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-stack-sdk-'));
    try {
      mkdirSync(join(dir, 'src'));
      symlinkSync(join(__dirname, '..', '..', 'node_modules'), join(dir, 'node_modules'));
      writeFileSync(join(dir, 'src', 'main.ts'), [
        "import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';",
        "export const v1 = (): string | undefined => new timeseries.PanelBuilder().title('cpu').build().title;",
        'export const v2 = (): unknown => new timeseries.VisualizationBuilder();',
        "import { ApiObject, App, Chart, Yaml } from 'cdk8s';",
        "export const kind = (): string => new ApiObject(new Chart(new App(), 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap' }).toJson().kind;",
        'export const yaml = (): string => Yaml.stringify({ a: 1 });',
      ].join('\n'));
      await build.bundleTo(dir, join(dir, 'out.js'));
      const bundled = require(join(dir, 'out.js')) as { v1: () => string; v2: () => unknown; kind: () => string; yaml: () => string };
      expect(bundled.v1()).toBe('cpu');
      expect(() => bundled.v2()).toThrow(/leaves out @grafana\/grafana-foundation-sdk\/dist\/dashboardv2beta1\/index\.js \(LEFT_OUT_MODULES in scripts\/build\.js\), the Grafana SDK's dashboard v2/);
      expect(bundled.kind()).toBe('ConfigMap');
      expect(() => bundled.yaml()).toThrow(/leaves out yaml\/dist\/index\.js \(LEFT_OUT_MODULES in scripts\/build\.js\), cdk8s's YAML library/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('folds the Kubernetes types\' converters in place, every one of them, with the same JSON as the library', async () => {
    type Lib = { k8s: typeof import('cdk8s-plus-28/lib/imports/k8s'); cdk8s: typeof import('cdk8s') };
    // Keys a fold must keep in order (integer-like first), drop (undefined) or keep as an own property (__proto__).
    const keys = (): Record<string, string> => JSON.parse('{"b":"1","a":"2","10":"3","2":"4","__proto__":"5","obsStackTrap":"7","gone":null}', (k, v) => (v === null ? undefined : v));
    // cdk8s's own toJson cannot take a `constructor` key (it reads `obj.constructor.name`): the converter alone does.
    const inheritedKeys = (): Record<string, string> => ({ ...keys(), constructor: '6' });
    const render = ({ k8s, cdk8s }: Lib): string => {
      const chart = new cdk8s.Chart(new cdk8s.App(), 'c');
      const objects = [
        new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'cm', labels: keys(), annotations: keys() }, data: keys() }),
        new k8s.KubeDeployment(chart, 'd', {
          metadata: { name: 'd' },
          spec: {
            selector: { matchLabels: { app: 'd' } },
            template: {
              metadata: { labels: { app: 'd' } },
              spec: {
                nodeSelector: keys(),
                containers: [{
                  name: 'c', image: 'i', ports: [{ containerPort: 8080, name: undefined }],
                  resources: { limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('1Gi') } },
                  readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromNumber(8080) } },
                }],
              },
            },
          },
        }),
        new k8s.KubeCustomResourceDefinition(chart, 'crd', {
          metadata: { name: 'xs.example.com' },
          spec: {
            group: 'example.com', names: { kind: 'X', plural: 'xs' }, scope: 'Namespaced',
            versions: [{ name: 'v1', served: true, storage: true, schema: { openApiv3Schema: { type: 'object', properties: { b: { type: 'string' }, a: { type: 'integer', description: undefined } } } } }],
          },
        }),
      ];
      return JSON.stringify([...objects.map((o) => o.toJson()), k8s.toJson_ObjectMeta({ labels: inheritedKeys(), annotations: inheritedKeys() })]);
    };
    const dir = mkdtempSync(join(tmpdir(), 'obs-stack-k8s-'));
    try {
      mkdirSync(join(dir, 'src'));
      symlinkSync(join(__dirname, '..', '..', 'node_modules'), join(dir, 'node_modules'));
      writeFileSync(join(dir, 'src', 'main.ts'), "export * as k8s from 'cdk8s-plus-28/lib/imports/k8s';\nexport * as cdk8s from 'cdk8s';\n");
      await build.bundleTo(dir, join(dir, 'out.js'));
      const original = readFileSync(require.resolve('cdk8s-plus-28/lib/imports/k8s'), 'utf8');
      const folds = original.match(/\(\{ \.\.\.r, \[i\[0\]\]: /g) ?? [];
      const bundle = readFileSync(join(dir, 'out.js'), 'utf8');
      // Every converter is rewritten; one of another form would keep the spread.
      expect(folds.length).toBeGreaterThan(400);
      expect(bundle.match(/__obsStackSetEntry\(r,i\[0\],/g)?.length).toBe(folds.length);
      expect(bundle).not.toMatch(/\.\.\.r,\[i\[0\]\]/);
      // A key an object would inherit is its own, as the spread makes it, even past a prototype setter.
      Object.defineProperty(Object.prototype, 'obsStackTrap', { set() { /* swallows assignments */ }, configurable: true });
      let rendered: string;
      let unbundled: string;
      try {
        rendered = render(require(join(dir, 'out.js')) as Lib);
        unbundled = render({ k8s: require('cdk8s-plus-28/lib/imports/k8s'), cdk8s: require('cdk8s') });
      } finally {
        delete (Object.prototype as Record<string, unknown>).obsStackTrap;
      }
      expect(rendered).toBe(unbundled);
      expect(rendered).toContain('"labels":{"2":"4","10":"3","b":"1","a":"2","__proto__":"5","obsStackTrap":"7","constructor":"6"}');
      expect(rendered).toContain('"properties":{"a":{"type":"integer"},"b":{"type":"string"}}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
