import { parseQuantity } from '../../src/config/units';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEnvironment } from '../../src/config/resolve';
import type { ProfileName } from '../../src/config/types';
import { capacityOf, capacityTable, environmentReadme, environmentWarnings, formatCount, summarize, summaryTable, wiringDiagram } from '../../src/outputs/summary';
import { buildEnv, objectsOf, synthAll } from '../support/synth';

describe('synth summary and wiring diagram', () => {
  const builds = synthAll().builds;

  test.each(builds.map((b) => [b.env.name, b] as const))('%s summary and diagram match their snapshots', (_name, build) => {
    expect(summaryTable(summarize(build))).toMatchSnapshot('table');
    expect(wiringDiagram(build.wires)).toMatchSnapshot('diagram');
  });

  test('the diagram of a stack with a Grafana Ingress shows the ingress controller reaching Grafana (snapshot)', () => {
    const build = buildEnv('dev', { grafana: { ingress: { enabled: true, host: 'grafana.example.com' } } });
    const diagram = wiringDiagram(build.wires);
    expect(diagram).toContain(`  ingress_controller -->|http :${build.endpoints.grafana.http.port}| grafana`);
    expect(diagram).toContain('  ingress_controller["ingress-controller"]');
    expect(environmentReadme(build)).toContain(diagram);
    expect(diagram).toMatchSnapshot();
    expect(wiringDiagram(buildEnv('dev').wires)).not.toContain('ingress_controller');
  });

  test('the diagram is derived from the wires: removing one removes its edge', () => {
    const wires = builds[0].wires;
    const full = wiringDiagram(wires);
    const fewer = wiringDiagram(wires.slice(1));
    expect(fewer).not.toBe(full);
    const removed = wires[0];
    expect(full).toContain(`|${removed.kind} :${removed.to.port}|`);
  });

  test.each(builds.map((b) => [b.env.name, b] as const))('%s totals equal the sums over the synthesized objects', (_name, build) => {
    let cpu = 0;
    let memory = 0;
    for (const o of objectsOf(build)) {
      if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)) continue;
      const replicas = o.kind === 'DaemonSet' ? 1 : (o.spec.replicas ?? 1);
      for (const c of o.spec.template.spec.containers) {
        cpu += replicas * parseQuantity(c.resources.requests.cpu)!;
        memory += replicas * parseQuantity(c.resources.requests.memory)!;
      }
    }
    const s = summarize(build);
    expect(s.total.requests.cpu).toBeCloseTo(cpu, 6);
    expect(s.total.requests.memory).toBe(memory);
  });

  test('warns once that promtail is end of life, and not when Alloy ships the logs', () => {
    const dev = builds.find((b) => b.env.name === 'dev')!;
    const readme = environmentReadme(dev);
    expect(readme.match(/promtail is end of life/g)).toHaveLength(1);
    expect(environmentWarnings({ ...dev.env.config, logAgent: 'alloy' }).join('\n')).not.toMatch(/promtail/);
  });

  test('dist/<env>/README.md sits outside the manifests folder', () => {
    const paths = [...synthAll().files.keys()].filter((p) => p.endsWith('README.md') && !p.includes('/helm/'));
    expect(paths.sort()).toEqual(builds.map((b) => `${b.env.name}/README.md`).sort());
  });
});

describe('the README\'s scaling table', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const cfg = (profile: ProfileName) => resolveEnvironment({ name: 't', profile }).config;

  it.each(['dev', 'prod', 'large'] as const)('%s: states what the code derives', (profile) => {
    const c = capacityOf(cfg(profile));
    expect(readme).toContain(`| profile | ${c.map((f) => f.label).join(' | ')} |`);
    expect(readme).toContain(`| ${profile} | ${c.map((f) => formatCount(f.value)).join(' | ')} |`);
  });

  it('matches the environment README\'s own table', () => {
    const table = capacityTable(cfg('prod'));
    expect(table.split('\n')[2]).toBe('| 250 | 1024 | 65k | 35k | 262k |');
  });
});
