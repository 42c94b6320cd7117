/**
 * Dashboards of the user's own: Foundation SDK builders from the library and JSON files from a folder,
 * provisioned next to the stack's on both paths, each under a uid of its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { loadExtraDashboards } from '../../../src/components/grafana/extra-dashboards';
import { resolveEnvironment } from '../../../src/config/resolve';
import { ObservabilityStack } from '../../../src/construct';
import { renderHelm } from '../../../src/outputs/helm';
import { synthesize } from '../../../src/outputs/synthesize';
import { buildStack } from '../../../src/stack';
import { objectsOf } from '../../support/synth';

const NS = 'observability';

function paymentsBuilder(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('Payments').uid('payments').withPanel(
    new timeseries.PanelBuilder().title('Targets up').withTarget(new prometheus.DataqueryBuilder().datasource({ type: 'prometheus', uid: 'prometheus' }).expr('up{job="payments"}')),
  );
}

describe('extra dashboards', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'obs-stack-dashboards-'));
    writeFileSync(join(dir, 'orders.json'), JSON.stringify({ title: 'Orders', uid: 'orders', panels: [] }));
    writeFileSync(join(dir, 'notes.txt'), 'not a dashboard');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('build each SDK dashboard into <uid>.json, panels numbered and queries lettered; folder files as written', () => {
    const env = resolveEnvironment({ name: 't', profile: 'dev', dashboards: [paymentsBuilder(), new dashboard.DashboardBuilder('Built').uid('built').build()], overrides: { grafana: { dashboardsFolder: dir } } });
    const loaded = loadExtraDashboards(env);
    expect(loaded.issues).toEqual([]);
    expect(Object.keys(loaded.files).sort()).toEqual(['built.json', 'orders.json', 'payments.json']);
    const payments = JSON.parse(loaded.files['payments.json']);
    expect(payments.panels[0]).toMatchObject({ id: 1, title: 'Targets up', targets: [{ refId: 'A', expr: 'up{job="payments"}' }] });
    expect(JSON.parse(loaded.files['orders.json'])).toEqual({ title: 'Orders', uid: 'orders', panels: [] });
  });

  it('reach Grafana on the manifests path (a ConfigMap each, mounted with the stack\'s) and the Helm path (helm/extra/)', () => {
    const env = resolveEnvironment({ name: 't', profile: 'dev', dashboards: [paymentsBuilder()], overrides: { grafana: { dashboardsFolder: dir } } });
    const build = buildStack(env);
    const objects = objectsOf(build);
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboard-payments' && o.metadata.namespace === NS)!;
    expect(JSON.parse(cm.data!['payments.json']).uid).toBe('payments');
    const projected = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'grafana')!.spec.template.spec.volumes
      .find((v: { name: string }) => v.name === 'dashboards').projected.sources.map((s: { configMap: { name: string } }) => s.configMap.name);
    expect(projected).toEqual(expect.arrayContaining(['grafana-dashboard-payments', 'grafana-dashboard-orders', 'grafana-dashboard-services-red']));
    const extra = renderHelm(build).files.get('extra/grafana.yaml')!;
    expect(extra).toContain('payments.json');
    expect(extra).toContain('orders.json');
  });

  it('come from the construct\'s dashboards prop', () => {
    const stack = new ObservabilityStack(new App(), 'obs', { profile: 'dev', dashboards: [paymentsBuilder()] });
    const names = stack.build.charts.flatMap((c) => c.toJson()).filter((o: { kind: string }) => o.kind === 'ConfigMap').map((o: { metadata: { name: string } }) => o.metadata.name);
    expect(names).toContain('grafana-dashboard-payments');
  });

  it('stay with their own environment when two environments share every other setting (one synth, both paths)', () => {
    const helm = { helm: { enabled: true } };
    const defs = [
      { name: 'a', profile: 'dev' as const, dashboards: [paymentsBuilder()], overrides: { ...helm, common: { clusterName: 'a' }, argocd: { destinationServer: 'https://a.example.com:6443' } } },
      { name: 'b', profile: 'dev' as const, dashboards: [new dashboard.DashboardBuilder('Refunds').uid('refunds')], overrides: { ...helm, common: { clusterName: 'b' }, argocd: { destinationServer: 'https://b.example.com:6443' } } },
      { name: 'c', profile: 'dev' as const, overrides: { ...helm, common: { clusterName: 'c' }, argocd: { destinationServer: 'https://c.example.com:6443' } } },
    ];
    const { files } = synthesize(defs);
    const own = (env: string) => [...files.entries()].filter(([p]) => p.startsWith(`${env}/`)).map(([, c]) => c).join('\n');
    const uids = (env: string) => ['payments', 'refunds'].filter((u) => own(env).includes(`grafana-dashboard-${u}`) || own(env).includes(`${u}.json`));
    expect(uids('a')).toEqual(['payments']);
    expect(uids('b')).toEqual(['refunds']);
    expect(uids('c')).toEqual([]);
    for (const env of ['a', 'b', 'c']) expect(files.get(`${env}/helm/extra/grafana.yaml`)).toContain('services-red.json');
  });

  it('are refused with the file or list entry named', () => {
    writeFileSync(join(dir, 'orders-copy.json'), JSON.stringify({ title: 'Orders again', uid: 'orders', panels: [] }));
    try {
      const env = resolveEnvironment({ name: 't', profile: 'dev', dashboards: [paymentsBuilder()], overrides: { grafana: { dashboardsFolder: dir } } });
      expect(() => buildStack(env)).toThrow(`grafana.dashboardsFolder: ${JSON.stringify(join(dir, 'orders.json'))} has uid "orders", which ${join(dir, 'orders-copy.json')} has too; give each dashboard a uid of its own`);
    } finally {
      rmSync(join(dir, 'orders-copy.json'));
    }
  });
});
