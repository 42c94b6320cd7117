import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_MONITORING_ENDPOINTS, COMPONENT_CONFIG, COMPONENT_NAMES, ENDPOINTS, REGISTRY, buildEndpoints, clusterMonitoringEndpoints } from '../../src/components/registry';
import type { Registration } from '../../src/components/component';
import { CHART_KEYS } from '../../src/outputs/helm/charts';
import { BASE } from '../../src/config/defaults';
import type { Endpoint } from '../../src/lib/endpoints';
import { resolveEnvironment } from '../../src/config/resolve';
import { MAXIMAL_OVERRIDES } from '../support/maximal';

const COMPONENTS = join(__dirname, '../../src/components');
const folders = readdirSync(COMPONENTS).filter((f) => statSync(join(COMPONENTS, f)).isDirectory());
const withEndpoints = folders.filter((f) => statSync(join(COMPONENTS, f, 'endpoints.ts'), { throwIfNoEntry: false })?.isFile());

/** The `*_ENDPOINTS` builder tables each component's endpoints.ts exports. */
function componentTables(): Array<Record<string, unknown>> {
  return withEndpoints.flatMap((f) => {
    const mod = require(join(COMPONENTS, f, 'endpoints.ts')) as Record<string, unknown>;
    return Object.entries(mod).filter(([name]) => name.endsWith('_ENDPOINTS')).map(([, table]) => table as Record<string, unknown>);
  });
}

/** Every endpoint in a built endpoint group, at any depth. */
function endpointsOf(group: object): Endpoint[] {
  return Object.values(group).flatMap((v: object) => ('portName' in v ? [v as Endpoint] : endpointsOf(v)));
}

/** The `registration` each folder's index.ts exports, by folder (none for `log-pipeline`, which two agents share). */
const registrations = new Map(folders.flatMap((f) => {
  const r = (require(join(COMPONENTS, f, 'index.ts')) as { registration?: Registration }).registration;
  return r === undefined ? [] : [[f, r] as const];
}));

describe('registrations', () => {
  test('every component folder registers itself, and the registry lists each registration once', () => {
    expect([...registrations.keys()].filter((f) => !(REGISTRY as readonly object[]).includes(registrations.get(f)!.component))).toEqual([]);
    expect(REGISTRY.length).toBe(registrations.size);
    expect(folders.filter((f) => !registrations.has(f))).toEqual(['log-pipeline']);
  });

  test('each registration\'s parts reach the registry: its config sections, endpoint keys and names', () => {
    for (const [f, r] of registrations) {
      for (const k of Object.keys(r.config ?? {})) expect([f, k, COMPONENT_CONFIG[k as keyof typeof COMPONENT_CONFIG]]).toEqual([f, k, r.config![k]]);
      for (const k of Object.keys(r.endpoints ?? {})) expect([f, k, k in ENDPOINTS]).toEqual([f, k, true]);
      for (const k of Object.keys(r.clusterEndpoints ?? {})) expect([f, k, k in CLUSTER_MONITORING_ENDPOINTS]).toEqual([f, k, true]);
      for (const n of r.names ?? []) expect([f, n, COMPONENT_NAMES.get(n)]).toEqual([f, n, r.component.id]);
    }
  });

  test.each([['defaults', BASE], ['maximal', resolveEnvironment({ name: 'maximal', profile: 'prod', overrides: MAXIMAL_OVERRIDES }).config]])(
    'with the %s config, every endpoint a registration builds is on a component name it declares', (_n, cfg) => {
      for (const [f, r] of registrations) {
        const builders = { ...r.endpoints, ...r.clusterEndpoints };
        const built = Object.values(builders).flatMap((b) => endpointsOf(b(cfg)));
        expect([f, built.filter((e) => !(r.names ?? []).includes(e.component)).map((e) => e.component)]).toEqual([f, []]);
      }
    });

  test('the Helm path installs the store others write to first and Grafana last', () => {
    expect(CHART_KEYS[0]).toBe('prometheus');
    expect(CHART_KEYS.at(-1)).toBe('grafana');
    expect(new Set(CHART_KEYS).size).toBe(CHART_KEYS.length);
  });
});

describe('endpoint registry', () => {
  test('every component table is registered once, and no two components add the same key', () => {
    const keys = componentTables().flatMap((table) => Object.keys(table));
    expect(keys.length).toBeGreaterThan(0);
    // A key two tables add would appear twice here and once in the registry (the later spread wins).
    expect([...Object.keys(ENDPOINTS), ...Object.keys(CLUSTER_MONITORING_ENDPOINTS)].sort()).toEqual(keys.sort());
  });

  test.each([['defaults', BASE], ['maximal', resolveEnvironment({ name: 'maximal', profile: 'prod', overrides: MAXIMAL_OVERRIDES }).config]])(
    'builds every key of the registry for the %s config, each endpoint on one port of one component', (_n, cfg) => {
      const built = { ...buildEndpoints(cfg), ...clusterMonitoringEndpoints(cfg) };
      expect(Object.keys(built)).toEqual([...Object.keys(ENDPOINTS), ...Object.keys(CLUSTER_MONITORING_ENDPOINTS)]);
      for (const e of Object.values(built).flatMap(endpointsOf)) {
        expect(e.component).toMatch(/^[a-z][a-z-]*$/);
        expect(e.port).toBeGreaterThan(0);
      }
    });

  test.each(withEndpoints)('%s/endpoints.ts loads only src/lib/endpoints.ts, other modules for their types (the registry loads it without a cycle)', (f) => {
    const source = readFileSync(join(COMPONENTS, f, 'endpoints.ts'), 'utf8');
    const imports = [...source.matchAll(/^import (type )?[^;]*? from '([^']+)';/gms)].map((m) => ({ typeOnly: m[1] !== undefined, from: m[2] }));
    expect(imports.filter((i) => !i.typeOnly && i.from !== '../../lib/endpoints').map((i) => i.from)).toEqual([]);
    expect(imports.filter((i) => !/^\.\.\/\.\.\/lib\/[a-z-]+$/.test(i.from) && i.from !== '../../config/types').map((i) => i.from)).toEqual([]);
  });

  test('src/lib/endpoints.ts names no component, comments included', () => {
    const source = readFileSync(join(__dirname, '../../src/lib/endpoints.ts'), 'utf8');
    // As scripts/component-files.ts counts: the namespaces and the NetworkPolicies are Kubernetes kinds too.
    const ids = REGISTRY.map((c) => c.id).filter((id) => !['namespaces', 'network-policies'].includes(id));
    expect(ids.filter((id) => new RegExp(`\\b${id.replace(/-/g, '[- ]?')}\\b`, 'i').test(source))).toEqual([]);
  });
});
