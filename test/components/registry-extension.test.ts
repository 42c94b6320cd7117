/**
 * A new component is its folder plus the registry line: a copy of the sources gets a Pushgateway folder and
 * the import and list entry in `registry.ts`, nothing else, and must then type-check, validate its config
 * section and synthesize (`npm run synth`, whose compiled synth is rebuilt for the copy) with the component
 * deployed, scraped, let in by the NetworkPolicies and drawn.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

const FOLDER: Readonly<Record<string, string>> = {
  'config.ts': `import * as z from 'zod';
import { flag, image, listenPort, obj, resourcesSchema, type ProfileChanges } from '../../config/fields';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

export const pushgatewaySchema = obj({
  enabled: flag(),
  image: image({ repository: 'quay.io/prometheus/pushgateway', tag: 'v1.11.0' }, { registryHost: true }),
  port: listenPort(9091),
  resources: resourcesSchema,
  pods: podsSchema,
}).readonly();

export type PushgatewayConfig = z.infer<typeof pushgatewaySchema>;

export const PUSHGATEWAY_DEFAULTS: PushgatewayConfig = {
  enabled: true,
  image: { repository: 'quay.io/prometheus/pushgateway', tag: 'v1.11.0' },
  port: 9091,
  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
  pods: POD_DEFAULTS,
};

export const PUSHGATEWAY_PROFILES: ProfileChanges<PushgatewayConfig> = { prod: { resources: { limits: { cpu: '200m', memory: '256Mi' } } } };
`,
  'endpoints.ts': `import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export const PUSHGATEWAY_NAMES = ['pushgateway'] as const;

export function pushgatewayEndpoints(cfg: StackConfig): { readonly http: Endpoint } {
  return { http: endpoint('pushgateway', cfg.common.namespace, METRICS_PORT_NAME, cfg.pushgateway.port) };
}

export const PUSHGATEWAY_ENDPOINTS = { pushgateway: pushgatewayEndpoints } as const satisfies EndpointBuilders;
`,
  'index.ts': `import { Chart } from 'cdk8s';
import * as k8s from '../../../imports/k8s';
import { RESTRICTED_CONTAINER_SECURITY, commonPodSpec, containerPort, httpProbe, imageRef, meta, resources, restrictedPodSecurity, serviceProps } from '../../lib/kube';
import { componentScrapeTarget } from '../../lib/scrape';
import { type StackComponent, configSection } from '../component';
import { PUSHGATEWAY_DEFAULTS, PUSHGATEWAY_PROFILES, pushgatewaySchema } from './config';
import { PUSHGATEWAY_ENDPOINTS, PUSHGATEWAY_NAMES } from './endpoints';

export const pushgateway: StackComponent = {
  id: 'pushgateway',
  enabled: (cfg) => cfg.pushgateway.enabled,
  pods: (cfg) => cfg.pushgateway.pods,
  scrapeTargets: ({ endpoints }, scrape) => [componentScrapeTarget('pushgateway', 'Pushgateway', scrape(endpoints.pushgateway.http))],
  build: ({ scope, cfg, labeler, endpoints, wire }) => {
    const ep = endpoints.pushgateway.http;
    wire('cluster-workloads', ep, 'http', 'push the metrics of batch jobs');
    const chart = new Chart(scope, 'pushgateway', { disableResourceNameHashes: true });
    const labels = labeler.labels({ name: 'pushgateway', component: 'metrics-push', version: cfg.pushgateway.image.tag });
    const selector = labeler.selector('pushgateway');
    new k8s.KubeService(chart, 'Service', serviceProps([ep], labels, selector));
    new k8s.KubeDeployment(chart, 'Deployment', {
      metadata: meta('pushgateway', ep.namespace, labels),
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            ...commonPodSpec(cfg.common),
            securityContext: restrictedPodSecurity(65534),
            containers: [{
              name: 'pushgateway',
              image: imageRef(cfg.pushgateway.image, cfg.common),
              args: [\`--web.listen-address=:\${ep.port}\`],
              ports: [containerPort(ep)],
              resources: resources(cfg.pushgateway.resources),
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              readinessProbe: httpProbe('/-/ready', ep.portName),
            }],
          },
        },
      },
    });
    return chart;
  },
};

export const registration = {
  component: pushgateway,
  config: { pushgateway: configSection(pushgatewaySchema, PUSHGATEWAY_DEFAULTS, PUSHGATEWAY_PROFILES) },
  endpoints: PUSHGATEWAY_ENDPOINTS,
  names: PUSHGATEWAY_NAMES,
} as const;
`,
};

/** The registry with the new component's import and its place in the list, and nothing else changed. */
function registeredIn(registry: string): string {
  const anchor = "import { registration as tempo } from './tempo';\n";
  const list = '  prometheus, networkPolicies,\n';
  expect(registry.split(anchor)).toHaveLength(2);
  expect(registry.split(list)).toHaveLength(2);
  return registry.replace(anchor, `${anchor}import { registration as pushgateway } from './pushgateway';\n`).replace(list, `  pushgateway,\n${list}`);
}

describe('a new component: its folder plus the registry line', () => {
  let dir: string;
  const run = (file: string, ...args: string[]) => execFileSync(process.execPath, [file, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'obs-stack-new-component-'));
    for (const f of ['src', 'imports']) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
    mkdirSync(join(dir, 'scripts'));
    for (const f of ['package.json', 'tsconfig.json', 'scripts/build.js', 'scripts/synth.js']) cpSync(join(ROOT, f), join(dir, f));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')) as { include: string[] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...tsconfig, include: ['src/**/*.ts', 'imports/**/*.ts'] }));
    mkdirSync(join(dir, 'src/components/pushgateway'));
    for (const [f, text] of Object.entries(FOLDER)) writeFileSync(join(dir, 'src/components/pushgateway', f), text);
    const registry = join(dir, 'src/components/registry.ts');
    writeFileSync(registry, registeredIn(readFileSync(registry, 'utf8')));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('type-checks: its section joins StackConfig, its name ComponentName, its endpoints Endpoints', () => {
    expect(() => run(join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.', '--noEmit')).not.toThrow();
  });

  // `npm run synth` in the copy: its compiled synth is rebuilt with the new folder.
  test('its config section is checked like every other, path, value and fix in the message', () => {
    const environments = [{ name: 'dev', profile: 'dev', overrides: { pushgateway: { port: 70000 } } }];
    const r = spawnSync(process.execPath, ['-e', `process.exitCode = require('./scripts/build').loadSynth().main(['--out', 'refused'], ${JSON.stringify(environments)});`],
      { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/pushgateway\.port: 70000 .*1.*65535/);
    expect(existsSync(join(dir, 'refused'))).toBe(false);
  });

  test('synthesizes it deployed, scraped, let in by the NetworkPolicies and drawn in the README', () => {
    run('scripts/synth.js', '--env', 'dev', '--out', 'out');
    const file = (f: string) => readFileSync(join(dir, 'out/dev', f), 'utf8');
    const manifests = file('manifests/pushgateway.yaml');
    expect(manifests).toMatch(/kind: Deployment[\s\S]*app\.kubernetes\.io\/name: pushgateway/);
    expect(manifests).toContain('kind: Service');
    expect(file('manifests/prometheus.yaml')).toContain('job_name: pushgateway');
    const policies = file('manifests/network-policies.yaml');
    expect(policies).toContain('name: pushgateway-ingress');
    expect(policies).toMatch(/name: prometheus-egress[\s\S]*?app\.kubernetes\.io\/name: pushgateway/);
    const readme = file('README.md');
    expect(readme).toMatch(/^\| pushgateway \| `quay\.io\/prometheus\/pushgateway:v1\.11\.0` \|/m);
    expect(readme).toMatch(/prometheus -->\|scrape :9091\| pushgateway/);
  });
});
