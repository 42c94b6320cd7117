/**
 * Prometheus finds whom to send to, and whether anything sends to it, by receiver kind (`src/lib/receivers.ts`),
 * never by component: with the stack's component list swapped for one where a stand-in fills the role,
 * Prometheus's config follows it on both paths.
 */
import { App } from 'cdk8s';
import type { StackComponent } from '../../../src/components/component';
import { stackJobs } from '../../../src/components/content';
import { prometheus } from '../../../src/components/prometheus';
import { helmPrometheusConfig } from '../../../src/components/prometheus/helm-values';
import { prometheusFeatureFlags } from '../../../src/components/prometheus/prometheus';
import { prometheusOtlpPromotedLabels } from '../../../src/components/prometheus/prometheus-config';
import { type ComponentName, REGISTRY, buildEndpoints } from '../../../src/components/registry';
import { resolveEnvironment } from '../../../src/config/resolve';
import type { StackOverrides } from '../../../src/config/types';
import { endpoint } from '../../../src/lib/endpoints';
import { Labeler } from '../../../src/lib/labels';
import { WireLog } from '../../../src/lib/wiring';
import { helmEndpoints } from '../../../src/outputs/helm/services';
import { configMapYaml } from '../../support/synth';

let mockComponents: readonly StackComponent<string>[] | undefined;
jest.mock('../../../src/lib/registered-components', () => {
  const actual = jest.requireActual('../../../src/lib/registered-components');
  return { ...actual, registeredComponents: () => mockComponents ?? actual.registeredComponents() };
});

const NS = 'observability';
const PAGER = 'pager' as ComponentName;

/** Receives alerts on two replicas, like an Alertmanager, under another name. */
const pager: StackComponent<string> = {
  id: 'pager',
  enabled: () => true,
  receivers: () => ({
    alerts: {
      endpoint: endpoint(PAGER, NS, 'http', 9095, 'http', 'pager-headless'),
      target: (wired) => [0, 1].map((i) => `http://pager-${i}.${wired.host}:${wired.port}`),
      name: 'pager API', note: 'Alerts to each pager replica.',
    },
  }),
};

const withoutAlertmanager = REGISTRY.filter((c) => c.id !== 'alertmanager');
const cfgOf = (overrides: StackOverrides = {}) => resolveEnvironment({ name: 't', profile: 'dev', overrides }).config;

/** The Prometheus chart alone, built from the descriptor with the wires it records. */
function manifests(overrides: StackOverrides) {
  const cfg = cfgOf(overrides);
  const wires = new WireLog();
  const chart = prometheus.build!({
    scope: new App({ outdir: '.unused' }), env: resolveEnvironment({ name: 't', profile: 'dev', overrides }), cfg, endpoints: buildEndpoints(cfg),
    labeler: new Labeler('t', {}), scrapeTargets: [], charts: [], wires, wire: (...w) => wires.connect(...w),
    scrape: (to) => wires.connect('prometheus', to, 'scrape', 'scrapes'), dashboards: () => ({}), ruleFiles: () => ({}),
  });
  const objects = chart.toJson();
  const args: string[] = objects.find((o: { kind: string }) => o.kind === 'StatefulSet').spec.template.spec.containers[0].args;
  return { config: configMapYaml(objects, 'prometheus', 'prometheus.yaml', NS), wires: wires.wires, otlpFlag: args.includes('--web.enable-otlp-receiver') };
}

function helm(overrides: StackOverrides) {
  const cfg = cfgOf(overrides);
  const wires = new WireLog();
  const input = { cfg, endpoints: helmEndpoints(cfg), podFacts: () => undefined, scrape: { components: [] }, ruleFiles: {}, wires };
  const config = helmPrometheusConfig(input);
  return { config, wires: wires.wires, otlpFlag: prometheusFeatureFlags(config.otlp !== undefined).includes('web.enable-otlp-receiver') };
}

const notifierAlerts = (overrides: StackOverrides) => prometheus.ruleGroups!({ cfg: cfgOf(overrides), jobs: stackJobs(cfgOf(overrides), []) })
  .flatMap((c) => c.rules.map((r) => ('alert' in r ? r.alert : r.record)))
  .filter((name) => name.startsWith('PrometheusNotification') || name === 'PrometheusNotConnectedToAlertmanagers');

afterEach(() => { mockComponents = undefined; });

describe('Prometheus sends alerts to whichever component receives them', () => {
  // The stack's Alertmanager is off: only the stand-in can be found.
  const overrides: StackOverrides = { alertmanager: { enabled: false } };
  const pagerTargets = [{ scheme: 'http', api_version: 'v2', static_configs: [{ targets: ['pager-0.pager-headless.observability.svc:9095'] }] },
    { scheme: 'http', api_version: 'v2', static_configs: [{ targets: ['pager-1.pager-headless.observability.svc:9095'] }] }];

  test.each([['manifests', manifests], ['Helm', helm]])('%s: every replica the stand-in names, wired from Prometheus', (_path, render) => {
    mockComponents = [...withoutAlertmanager, pager];
    const { config, wires } = render(overrides);
    expect(config.alerting?.alertmanagers).toEqual(pagerTargets);
    expect(wires.filter((w) => w.to.component === PAGER).map((w) => `${w.from} ${w.kind} ${w.to.service}:${w.to.port}`)).toEqual(['prometheus http pager-headless:9095']);
  });

  test.each([['manifests', manifests], ['Helm', helm]])('%s: no alerting block while nothing receives alerts', (_path, render) => {
    mockComponents = withoutAlertmanager;
    expect(render(overrides).config.alerting).toBeUndefined();
  });

  test('the delivery alerts follow the receiver too', () => {
    mockComponents = withoutAlertmanager;
    expect(notifierAlerts(overrides)).toEqual([]);
    mockComponents = [...withoutAlertmanager, pager];
    expect(notifierAlerts(overrides)).toEqual(['PrometheusNotificationsFailing', 'PrometheusNotConnectedToAlertmanagers']);
  });
});

describe('Prometheus turns its OTLP receiver on while a component sends OTLP metrics', () => {
  // Neither the OTLP gateway nor anything else of the stack sends OTLP metrics with this config.
  const overrides: StackOverrides = { otlpGateway: { enabled: false } };
  const sender: StackComponent<string> = { id: 'sender', enabled: () => true, sends: () => ['metrics-otlp'] };

  test.each([['manifests', manifests], ['Helm', helm]])('%s: the flag and the otlp block with a stand-in sender, neither without', (_path, render) => {
    const otlp = () => { const r = render(overrides); return [r.otlpFlag, r.config.otlp?.promote_resource_attributes]; };
    mockComponents = REGISTRY;
    expect(otlp()).toEqual([false, undefined]);
    mockComponents = [...REGISTRY, sender];
    expect(otlp()).toEqual([true, prometheusOtlpPromotedLabels()]);
    mockComponents = [...REGISTRY, { ...sender, enabled: () => false }];
    expect(otlp()).toEqual([false, undefined]);
  });
});
