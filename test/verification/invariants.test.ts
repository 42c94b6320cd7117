import { environmentReadme } from '../../src/outputs/summary';
import { checkAddressesWired, checkComponentsCovered, checkConfigChecksums, formatProblems } from '../support/checks';
import type { KubeObject } from '../support/synth';
import { CONFIG_LABELS, configNamed } from './configs';
import { clone } from './helpers';

const readmeOf = (label: string) => environmentReadme(configNamed(label).build);

describe('invariants of the component model, read from the output', () => {
  describe.each(CONFIG_LABELS)('%s', (label) => {
    const c = configNamed(label);
    it('every pod that reads a ConfigMap carries the hash of exactly that data', () => {
      expect(formatProblems(checkConfigChecksums(c.objects))).toBe('');
    });
    it('every in-stack address in a config, env var or argument is a wire from the component that holds it', () => {
      expect(formatProblems(checkAddressesWired(c.objects, c.wires))).toBe('');
    });
    it('every workload behind a Service is reached, scraped, let in by a NetworkPolicy and drawn', () => {
      expect(formatProblems(checkComponentsCovered(c.objects, c.wires, readmeOf(label), c.config.networkPolicy.enabled))).toBe('');
    });
  });
});

describe('the invariant checks fail where they should', () => {
  const dev = () => configNamed('dev');
  const objects = (): KubeObject[] => clone(dev().objects);
  const find = (os: KubeObject[], kind: string, name: string) => os.find((o) => o.kind === kind && o.metadata.name === name)!;

  it('fails when a ConfigMap a pod reads changes but the checksum does not', () => {
    const os = objects();
    find(os, 'ConfigMap', 'loki').data['loki.yaml'] += '\n# changed';
    expect(checkConfigChecksums(os)).toEqual([expect.objectContaining({ object: 'StatefulSet observability/loki', message: expect.stringContaining('not the hash of the ConfigMaps it reads (loki)') })]);
  });

  it('fails when a pod reads a ConfigMap and carries no checksum', () => {
    const os = objects();
    delete find(os, 'Deployment', 'grafana').spec.template.metadata.annotations;
    expect(formatProblems(checkConfigChecksums(os))).toContain('Deployment observability/grafana');
  });

  it('fails when an address is used without a wire', () => {
    const wires = dev().wires.filter((w) => !(w.from === 'tempo' && w.kind === 'remote-write'));
    const problems = checkAddressesWired(dev().objects, wires);
    expect(problems).toEqual([expect.objectContaining({
      object: 'ConfigMap observability/tempo', message: expect.stringContaining('no wire from tempo to prometheus.observability:9090'),
    })]);
  });

  it('fails when a workload is not scraped, not reached, not let in or not drawn', () => {
    const c = dev();
    const noScrape = c.wires.filter((w) => !(w.to.component === 'loki' && w.kind === 'scrape'));
    expect(formatProblems(checkComponentsCovered(c.objects, noScrape, readmeOf('dev'), true))).toContain('loki declares a metrics port but is not scraped by Prometheus');
    const noWire = c.wires.filter((w) => w.to.component !== 'cadvisor');
    expect(formatProblems(checkComponentsCovered(c.objects, noWire, readmeOf('dev'), true))).toContain('cadvisor is reached by no wire');
    const os = objects().filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'tempo-ingress'));
    expect(formatProblems(checkComponentsCovered(os, c.wires, readmeOf('dev'), true))).toContain('tempo is selected by no ingress NetworkPolicy');
    expect(formatProblems(checkComponentsCovered(c.objects, c.wires, readmeOf('dev').replace('grafana["grafana"]', ''), true))).toContain('grafana is not drawn');
  });
});
