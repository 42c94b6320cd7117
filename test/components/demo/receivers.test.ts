/**
 * The example services find where to send by receiver kind (`src/lib/receivers.ts`), never by component:
 * with the stack's component list swapped for one where a stand-in receives every OTLP signal, they send there.
 */
import { App } from 'cdk8s';
import type { StackComponent } from '../../../src/components/component';
import { demo } from '../../../src/components/demo';
import { type ComponentName, REGISTRY, buildEndpoints } from '../../../src/components/registry';
import { resolveEnvironment } from '../../../src/config/resolve';
import type { StackOverrides } from '../../../src/config/types';
import { endpoint } from '../../../src/lib/endpoints';
import { Labeler } from '../../../src/lib/labels';
import { WireLog } from '../../../src/lib/wiring';

let mockComponents: readonly StackComponent<string>[] | undefined;
jest.mock('../../../src/lib/registered-components', () => {
  const actual = jest.requireActual('../../../src/lib/registered-components');
  return { ...actual, registeredComponents: () => mockComponents ?? actual.registeredComponents() };
});

const COLLECTOR = 'collector' as ComponentName;
const collector: StackComponent<string> = {
  id: 'collector',
  enabled: () => true,
  receivers: () => ({
    'otlp-http': { endpoint: endpoint(COLLECTOR, 'observability', 'otlp-http', 4318), target: (w) => w.url, name: 'collector', note: 'Every signal.' },
  }),
};

/** The demo chart alone: every container's OTLP endpoint, and where its OTLP wires go. */
function render(overrides: StackOverrides) {
  const env = resolveEnvironment({ name: 't', profile: 'dev', overrides });
  const cfg = env.config;
  const wires = new WireLog();
  const chart = demo.build!({
    scope: new App({ outdir: '.unused' }), env, cfg, endpoints: buildEndpoints(cfg), labeler: new Labeler('t', {}), scrapeTargets: [], charts: [], wires,
    wire: (...w) => wires.connect(...w), scrape: (to) => wires.connect('prometheus', to, 'scrape', 'scrapes'), dashboards: () => ({}), ruleFiles: () => ({}),
  });
  const otlpEnv = chart.toJson().filter((o: { kind: string }) => o.kind === 'Deployment')
    .flatMap((d: any) => d.spec.template.spec.containers.flatMap((c: any) => c.env ?? []))
    .filter((e: { name: string }) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT').map((e: { value: string }) => e.value);
  return { endpoints: [...new Set(otlpEnv)], otlpTo: [...new Set(wires.wires.filter((w) => w.kind === 'otlp').map((w) => w.to.component))] };
}

afterEach(() => { mockComponents = undefined; });

describe('the example services with demo.otlp: "all"', () => {
  const overrides: StackOverrides = { demo: { otlp: 'all' } };

  test('send every signal to whichever component receives them all', () => {
    expect(render(overrides)).toEqual({ endpoints: ['http://otlp-gateway.observability.svc:4318'], otlpTo: ['otlp-gateway'] });
    mockComponents = [...REGISTRY.filter((c) => c.id !== 'otlp-gateway'), collector];
    expect(render(overrides)).toEqual({ endpoints: ['http://collector.observability.svc:4318'], otlpTo: [COLLECTOR] });
  });
});
