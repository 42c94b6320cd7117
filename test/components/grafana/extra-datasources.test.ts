/**
 * `grafana.extraDatasources`: provisioned after the stack's datasources with Grafana's keys, secrets only
 * as `${VAR}` references to environment variables filled from the user's Secrets, `$` in what the user
 * wrote kept literal, and Grafana allowed to reach each datasource's address.
 */
import { load } from 'js-yaml';
import { datasourceHostPort } from '../../../src/components/grafana/extra-datasources';
import type { StackOverrides } from '../../../src/config/types';
import { externalEndpoints } from '../../../src/lib/external';
import { userSecrets } from '../../../src/lib/user-secrets';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';

const NS = 'observability';

const OVERRIDES: StackOverrides = {
  grafana: {
    extraDatasources: [
      {
        name: 'Billing DB', type: 'grafana-postgresql-datasource', uid: 'billing-db', url: 'billing-db.billing.svc:5432', user: 'grafana',
        jsonData: { database: 'billing', sslmode: 'require', note: 'costs $5' },
        secureJsonData: { password: { secretName: 'billing-db-grafana', key: 'password' }, tlsClientKey: { secretName: 'billing-db-tls', key: 'tls.key' } },
      },
      { name: 'Search', type: 'elasticsearch', uid: 'search', url: 'https://search.example.com', basicAuth: { username: 'grafana', secretName: 'search-grafana', passwordKey: 'password' } },
      { name: 'Status', type: 'grafana-testdata-datasource', uid: 'status' },
    ],
  },
};

describe('extra datasources', () => {
  const build = buildEnv('prod', OVERRIDES);
  const objects = objectsOf(build);
  const file = configMapYaml(objects, 'grafana', 'datasources.yaml', NS);

  it('come after the stack\'s, with provisioning keys and secrets as environment references only', () => {
    expect(file.datasources.map((d: { uid: string }) => d.uid)).toEqual(['prometheus', 'loki', 'tempo', 'billing-db', 'search', 'status']);
    expect(file.datasources.slice(3)).toEqual([
      {
        name: 'Billing DB', type: 'grafana-postgresql-datasource', uid: 'billing-db', access: 'proxy', orgId: 1, url: 'billing-db.billing.svc:5432', user: 'grafana',
        isDefault: false, editable: false, jsonData: { database: 'billing', sslmode: 'require', note: 'costs $$5' },
        secureJsonData: { password: '${EXTRA_DATASOURCE_1_SECRET_1}', tlsClientKey: '${EXTRA_DATASOURCE_1_SECRET_2}' },
      },
      {
        name: 'Search', type: 'elasticsearch', uid: 'search', access: 'proxy', orgId: 1, url: 'https://search.example.com', basicAuth: true, basicAuthUser: 'grafana',
        isDefault: false, editable: false, secureJsonData: { basicAuthPassword: '${EXTRA_DATASOURCE_2_SECRET_1}' },
      },
      { name: 'Status', type: 'grafana-testdata-datasource', uid: 'status', access: 'proxy', orgId: 1, isDefault: false, editable: false },
    ]);
  });

  it('fill those variables from the user\'s Secrets, which the README lists', () => {
    const env = find(objects, 'Deployment', 'grafana', NS).spec.template.spec.containers[0].env;
    expect(env.filter((e: { name: string }) => e.name.startsWith('EXTRA_DATASOURCE_'))).toEqual([
      { name: 'EXTRA_DATASOURCE_1_SECRET_1', valueFrom: { secretKeyRef: { name: 'billing-db-grafana', key: 'password' } } },
      { name: 'EXTRA_DATASOURCE_1_SECRET_2', valueFrom: { secretKeyRef: { name: 'billing-db-tls', key: 'tls.key' } } },
      { name: 'EXTRA_DATASOURCE_2_SECRET_1', valueFrom: { secretKeyRef: { name: 'search-grafana', key: 'password' } } },
    ]);
    expect(userSecrets(build.env.config).map((s) => s.name)).toEqual(expect.arrayContaining(['billing-db-grafana', 'billing-db-tls', 'search-grafana']));
  });

  it('let Grafana reach each address: an in-cluster one by namespace, an outside one by the external CIDRs', () => {
    expect(externalEndpoints(build.env.config).filter((e) => e.from === 'grafana').map((e) => [e.name, e.host, e.port, e.inCluster?.namespace])).toEqual([
      ['datasource-billing-db', 'billing-db.billing.svc', 5432, 'billing'],
      ['datasource-search', 'search.example.com', 443, undefined],
    ]);
    const egress = find(objects, 'NetworkPolicy', 'grafana-egress', NS).spec.egress;
    expect(egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'billing' } } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });

  it('read host and port from an http(s) URL or "host:port"', () => {
    expect(datasourceHostPort('http://a.example.com/x')).toEqual({ scheme: 'http', host: 'a.example.com', port: 80 });
    expect(datasourceHostPort('https://A.example.com:8443')).toEqual({ scheme: 'https', host: 'a.example.com', port: 8443 });
    expect(datasourceHostPort('db.ns.svc:5432')).toEqual({ host: 'db.ns.svc', port: 5432 });
    expect(datasourceHostPort('db')).toBeUndefined();
  });

  it('leave the provisioning file of a config without them as it was', () => {
    const plain = configMapYaml(objectsOf(buildEnv('prod')), 'grafana', 'datasources.yaml', NS);
    expect({ ...file, datasources: file.datasources.slice(0, 3) }).toEqual(plain);
    expect(load(find(objects, 'ConfigMap', 'grafana', NS).data['datasources.yaml'])).toEqual(file);
  });
});
