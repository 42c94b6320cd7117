/**
 * `prometheus.extraScrapeConfigs`: the user's jobs rendered with upstream keys after the stack's, and what
 * they need from the rest of the stack (Secret mounts, RBAC, NetworkPolicy egress, external endpoints, the
 * Secrets the user creates). promtool runs over them in the verification suite (the maximal config).
 */
import { selectorString } from '../../../src/components/prometheus/scrape-configs';
import type { StackOverrides } from '../../../src/config/types';
import { externalEndpoints } from '../../../src/lib/external';
import { userSecrets } from '../../../src/lib/user-secrets';
import { findPrometheus, forPromtool, itWithTool, promtool, substituteKubernetesSd } from '../../support/checks';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';
import { dump } from 'js-yaml';

const NS = 'observability';

const OVERRIDES: StackOverrides = {
  prometheus: {
    extraScrapeConfigs: [
      {
        jobName: 'payments', scheme: 'https', staticConfigs: [{ targets: ['payments.example.com:9443'], labels: { team: 'payments' } }],
        bearerToken: { secretName: 'payments-scrape', tokenKey: 'token' }, tlsConfig: { ca: { secretName: 'payments-ca', key: 'ca.crt' } },
      },
      {
        jobName: 'orders', kubernetesSdConfigs: [
          { role: 'pod', namespaces: { names: ['orders'] }, selector: { matchLabels: { app: 'orders' } }, port: 'metrics' },
          { role: 'pod', namespaces: { names: ['orders-canary'] }, port: 9100 },
        ],
      },
      { jobName: 'search', kubernetesSdConfigs: [{ role: 'service', port: 'http-metrics' }], sampleLimit: 500 },
    ],
  },
};

describe('extra scrape jobs', () => {
  const build = buildEnv('prod', OVERRIDES);
  const objects = objectsOf(build);
  const cfg = configMapYaml(objects, 'prometheus', 'prometheus.yaml', NS);
  const job = (name: string) => cfg.scrape_configs.find((j: { job_name: string }) => j.job_name === name);

  it('come after the stack\'s jobs, with upstream keys and the pods\' sample limit unless set', () => {
    const names = cfg.scrape_configs.map((j: { job_name: string }) => j.job_name);
    expect(names.slice(-3)).toEqual(['payments', 'orders', 'search']);
    expect(names.indexOf('kubernetes-pods')).toBe(names.length - 4);
    expect(job('payments')).toEqual({
      job_name: 'payments', scheme: 'https', sample_limit: job('kubernetes-pods').sample_limit,
      authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/secrets/payments-scrape/token' },
      tls_config: { ca_file: '/etc/prometheus/secrets/payments-ca/ca.crt' },
      static_configs: [{ targets: ['payments.example.com:9443'], labels: { team: 'payments' } }],
    });
    expect(job('search').sample_limit).toBe(500);
  });

  it('keep the chosen ports (by name and by number in one rule) before the Kubernetes labels', () => {
    const orders = job('orders');
    expect(orders.kubernetes_sd_configs).toEqual([
      { role: 'pod', namespaces: { names: ['orders'] }, selectors: [{ role: 'pod', label: 'app=orders' }] },
      { role: 'pod', namespaces: { names: ['orders-canary'] } },
    ]);
    expect(orders.relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_pod_container_port_name', '__meta_kubernetes_pod_container_port_number'],
      separator: ';', regex: '(?:metrics);.*|.*;(?:9100)', action: 'keep',
    });
    expect(orders.relabel_configs.map((r: { target_label?: string }) => r.target_label).filter(Boolean)).toEqual(expect.arrayContaining(['namespace', 'pod', 'container', 'node', 'service']));
    // Role service: the Service's namespace and name.
    expect(job('search').relabel_configs).toEqual([
      { source_labels: ['__meta_kubernetes_service_port_name'], regex: 'http-metrics', action: 'keep' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace', action: 'replace' },
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service', action: 'replace' },
    ]);
  });

  it('mount the Secrets they read, and list them among the Secrets to create', () => {
    const mounts = find(objects, 'StatefulSet', 'prometheus', NS).spec.template.spec.containers[0].volumeMounts;
    expect(mounts).toEqual(expect.arrayContaining([
      { name: 'scrape-0', mountPath: '/etc/prometheus/secrets/payments-ca', readOnly: true },
      { name: 'scrape-1', mountPath: '/etc/prometheus/secrets/payments-scrape', readOnly: true },
    ]));
    const secrets = userSecrets(build.env.config).filter((s) => s.name.startsWith('payments-'));
    expect(secrets.map((s) => [s.name, s.keys])).toEqual([['payments-scrape', ['token']], ['payments-ca', ['ca.crt']]]);
  });

  it('give Prometheus list and watch on Services for service discovery', () => {
    const role = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === `${NS}-prometheus`)!;
    expect(role.rules).toContainEqual(expect.objectContaining({ apiGroups: [''], resources: expect.arrayContaining(['services']) }));
  });

  it('open Prometheus\'s egress: discovered pods by selector and port, Services\' namespaces on any port, static targets by address', () => {
    const egress = find(objects, 'NetworkPolicy', 'prometheus-egress', NS).spec.egress;
    expect(egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'orders' } }, podSelector: { matchLabels: { app: 'orders' } } }],
      ports: [{ protocol: 'TCP', port: 'metrics' }],
    });
    expect(egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'orders-canary' } }, podSelector: {} }], ports: [{ protocol: 'TCP', port: 9100 }] });
    expect(egress).toContainEqual({ to: [{ namespaceSelector: {}, podSelector: {} }] });
    expect(externalEndpoints(build.env.config).filter((e) => e.name.startsWith('scrape-'))).toEqual([
      expect.objectContaining({ name: 'scrape-payments-0', from: 'prometheus', host: 'payments.example.com', port: 9443 }),
    ]);
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: expect.arrayContaining([{ protocol: 'TCP', port: 9443 }]) });
  });

  it('write set-based selectors as Kubernetes discovery reads them', () => {
    expect(selectorString({
      matchLabels: { b: '2', a: '1' },
      matchExpressions: [{ key: 't', operator: 'In', values: ['x', 'y'] }, { key: 'u', operator: 'NotIn', values: ['z'] }, { key: 'e', operator: 'Exists' }, { key: 'd', operator: 'DoesNotExist' }],
    })).toBe('a=1,b=2,t in (x,y),u notin (z),e,!d');
  });

  it('leave the default output alone', () => {
    const plain = configMapYaml(objectsOf(buildEnv('prod')), 'prometheus', 'prometheus.yaml', NS);
    expect(plain.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(cfg.scrape_configs.map((j: { job_name: string }) => j.job_name).slice(0, -3));
  });

  itWithTool('promtool')('pass promtool check config', () => {
    const f = findPrometheus(objects)[0];
    const { config } = substituteKubernetesSd(forPromtool(f.config).config, objects);
    const r = promtool(['check', 'config', '--syntax-only', 'prometheus.yaml'], { 'prometheus.yaml': dump(config) });
    expect(r.output).toContain('SUCCESS');
  });
});
