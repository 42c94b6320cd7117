import { readFileSync } from 'fs';
import { join } from 'path';
import { resolveEnvironment, resolveEnvironments } from '../../src/config/resolve';
import type { EnvironmentDefinition, StackOverrides } from '../../src/config/types';
import { selectEnvironments } from '../../src/main';
import { errorOf } from '../support/config-errors';

describe('config validation', () => {
  test('GIVEN the shipped profiles WHEN resolved THEN they are valid', () => {
    expect(() => resolveEnvironment({ name: 'dev', profile: 'dev' })).not.toThrow();
    expect(() => resolveEnvironment({ name: 'prod', profile: 'prod' })).not.toThrow();
  });

  // Each case: overrides, the config path that must be named, the bad value as printed, and a word of the fix.
  const cases: Array<[string, StackOverrides | Record<string, unknown>, string, string, string, 'dev' | 'prod']> = [
    ['a bad duration', { prometheus: { retention: '-3d' } }, 'prometheus.retention', '"-3d"', 'e.g. "15d"', 'dev'],
    ['a duration without unit', { prometheus: { scrapeInterval: '30' } }, 'prometheus.scrapeInterval', '"30"', 'units', 'dev'],
    ['a bad quantity', { prometheus: { resources: { requests: { memory: '2 GB' } } } }, 'prometheus.resources.requests.memory', '"2 GB"', 'e.g. "256Mi"', 'dev'],
    ['a zero quantity', { loki: { storage: { size: '0Gi' } } }, 'loki.storage.size', '"0Gi"', 'greater than zero', 'dev'],
    ['a request above its limit', { tempo: { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } } }, 'tempo.resources.requests.cpu', '"2"', 'raise the limit', 'dev'],
    ['a retention size above the volume', { prometheus: { retentionSize: '20GB', storage: { size: '10Gi' } } }, 'prometheus.retentionSize', '"20GB"', 'grow the volume', 'dev'],
    ['a retention size equal to the volume', { prometheus: { retentionSize: '10GB', storage: { size: '10Gi' } } }, 'prometheus.retentionSize', '"10GB"', 'lower retentionSize', 'dev'],
    ['a retention size in the wrong unit', { prometheus: { retentionSize: '8Gi' } }, 'prometheus.retentionSize', '"8Gi"', '"8GB"', 'dev'],
    ['a scrape timeout above the interval', { prometheus: { scrapeInterval: '10s', scrapeTimeout: '20s' } }, 'prometheus.scrapeTimeout', '"20s"', 'no longer than the interval', 'dev'],
    ['a port clash inside one pod', { tempo: { ports: { otlpHttp: 3200 } } }, 'tempo.ports.otlpHttp', '3200', 'its own number', 'dev'],
    ['a privileged port', { grafana: { ports: { http: 80 } } }, 'grafana.ports.http', '80', '1024 to 65535', 'dev'],
    ['an invalid label value', { common: { labels: { team: 'platform team' } } }, 'common.labels.team', '"platform team"', '63 letters', 'dev'],
    ['an invalid label name', { common: { labels: { 'bad key!': 'x' } } }, 'common.labels.bad key!', '"bad key!"', 'e.g. "team"', 'dev'],
    ['a label obs-stack owns', { common: { labels: { 'app.kubernetes.io/name': 'x' } } }, 'common.labels.app.kubernetes.io/name', '"app.kubernetes.io/name"', 'outside app.kubernetes.io/', 'dev'],
    ['an empty namespace', { common: { namespace: '' } }, 'common.namespace', '""', 'DNS label', 'dev'],
    ['a namespace with capitals', { common: { namespace: 'Observability' } }, 'common.namespace', '"Observability"', 'e.g. "observability"', 'dev'],
    ['the same namespace for agents', { common: { namespace: 'obs', agentNamespace: 'obs' } }, 'common.agentNamespace', '"obs"', 'separate namespace', 'dev'],
    ['an unknown option', { prometheus: { retension: '15d' } }, 'prometheus.retension', '"15d"', 'retention', 'dev'],
    ['an unknown component', { jaeger: { enabled: true } }, 'jaeger', '{"enabled":true}', 'use one of', 'dev'],
    ['an unpinned image', { loki: { image: { tag: 'latest' } } }, 'loki.image.tag', '"latest"', 'exact version', 'dev'],
    ['an image tag with a space', { grafana: { image: { tag: '13.2 .0' } } }, 'grafana.image.tag', '"13.2 .0"', 'exact version', 'dev'],
    ['an unknown log agent', { logAgent: 'fluentd' }, 'logAgent', '"fluentd"', '"alloy"', 'dev'],
    ['a Loki retention that is not whole days', { loki: { retention: '36h' } }, 'loki.retention', '"36h"', 'multiple of 24h', 'dev'],
    ['a Tempo retention in days', { tempo: { retention: '14d' } }, 'tempo.retention', '"14d"', 'no "d"', 'dev'],
    ['Tempo without receivers', { tempo: { receivers: { otlpGrpc: false, otlpHttp: false } } }, 'tempo.receivers', '{"otlpGrpc":false', 'at least otlpGrpc', 'dev'],
    ['an invalid Loki tenant', { loki: { tenant: 'team a' } }, 'loki.tenant', '"team a"', 'single-tenant', 'dev'],
    ['a burst below the rate', { loki: { limits: { ingestionRateMB: 10, ingestionBurstSizeMB: 5 } } }, 'loki.limits.ingestionBurstSizeMB', '5', 'at least as large', 'dev'],
    ['prod without the admin Secret', { grafana: { adminSecret: { name: '' } } }, 'grafana.adminSecret.name', '""', 'kubectl create secret', 'prod'],
    ['an Ingress without host', { grafana: { ingress: { enabled: true } } }, 'grafana.ingress.host', '""', 'grafana.example.com', 'dev'],
    ['an error ratio above 1', { demo: { errorRatio: 1.5 } }, 'demo.errorRatio', '1.5', 'between 0 and 1', 'dev'],
    ['zero traffic', { demo: { trafficRps: 0 } }, 'demo.trafficRps', '0', 'positive', 'dev'],
    ['a negative latency', { demo: { latencyMs: -5 } }, 'demo.latencyMs', '-5', 'zero or a positive', 'dev'],
    ['a string where a boolean belongs', { cadvisor: { enabled: 'yes' } }, 'cadvisor.enabled', '"yes"', 'true or false', 'dev'],
    ['a Helm switch that is not a boolean', { helm: { enabled: 'no' } }, 'helm.enabled', '"no"', 'true or false', 'dev'],
    ['an external label obs-stack sets', { prometheus: { externalLabels: { cluster: 'x' } } }, 'prometheus.externalLabels.cluster', '"cluster"', 'obs-stack sets cluster', 'dev'],
    ['an invalid external label name', { prometheus: { externalLabels: { 'my-region': 'eu' } } }, 'prometheus.externalLabels.my-region', '"my-region"', 'letters, digits and "_"', 'dev'],
    ['a bad storage class', { common: { storageClassName: 'Fast SSD' } }, 'common.storageClassName', '"Fast SSD"', 'lower-case', 'dev'],
    ['a registry with a scheme', { common: { imageRegistry: 'https://mirror.example.com' } }, 'common.imageRegistry', '"https://mirror.example.com"', 'without a scheme', 'dev'],
    ['prune without automated sync', { argocd: { prune: true } }, 'argocd.prune', 'true', 'automated: true', 'dev'],
    ['a repo URL that is not one', { argocd: { repoURL: 'my repo' } }, 'argocd.repoURL', '"my repo"', 'https://', 'dev'],
    ['the demo without Tempo', { tempo: { enabled: false } }, 'demo.enabled', 'true', 'enable tempo', 'dev'],
    ['a k3s socket outside /run', { cadvisor: { containerdSocket: '/tmp/c.sock' } }, 'cadvisor.containerdSocket', '"/tmp/c.sock"', '/run/k3s', 'dev'],
  ];

  test.each(cases)('fails on %s, naming the path, the value and the fix', (_what, overrides, path, value, fix, profile) => {
    const message = errorOf(overrides, profile);
    expect(message).toContain(`${path}: ${value}`);
    expect(message).toContain(fix);
  });

  test('fails with every problem of an environment listed at once', () => {
    const message = errorOf({ prometheus: { retention: 'x' }, loki: { retention: 'y' } });
    expect(message).toMatch(/2 configuration error/);
    expect(message).toContain('prometheus.retention: "x"');
    expect(message).toContain('loki.retention: "y"');
  });

  test('fails on two environments with the same name', () => {
    const defs: EnvironmentDefinition[] = [{ name: 'a', profile: 'dev' }, { name: 'a', profile: 'prod' }];
    expect(() => resolveEnvironments(defs)).toThrow(/environments: "a" is defined twice/);
  });

  test('fails on an environment name that is not a DNS label', () => {
    expect(() => resolveEnvironments([{ name: 'Staging EU', profile: 'prod' }])).toThrow(/environments\[0\]\.name: "Staging EU"/);
  });

  test('fails on an unknown profile', () => {
    expect(() => resolveEnvironments([{ name: 'x', profile: 'qa' as 'dev' }])).toThrow(/environments\.x\.profile: "qa" is not a known profile; use one of: dev, prod/);
  });

  test('fails on an unknown environment name, listing the known ones', () => {
    expect(() => selectEnvironments([{ name: 'dev', profile: 'dev' }, { name: 'prod', profile: 'prod' }], ['stage']))
      .toThrow('unknown environment "stage"; known environments: "dev", "prod"');
  });

  test('GIVEN a staging environment in a few lines WHEN resolved THEN it inherits prod and keeps its overrides', () => {
    const env = resolveEnvironment({ name: 'staging', profile: 'prod', overrides: { common: { clusterName: 'staging-eu' }, loki: { retention: '336h' } } });
    expect(env.config.common.clusterName).toBe('staging-eu');
    expect(env.config.loki.retention).toBe('336h');
    expect(env.config.prometheus.storage.persistent).toBe(true);
  });
});

describe('the README\'s example of a refused config', () => {
  test('is what synth prints for it', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const block = /Bad input fails synth[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1];
    const message = errorOf({
      prometheus: { retention: '-3d', remoteWrite: [{ name: 'mimir', url: 'https://mimir.example.com/api/v1/push', basicauth: { username: 'obs' } }] },
    }).replace('environment "t"', 'environment "dev"');
    expect(block).toBe(`obs-stack: synth failed, nothing was written.\n${message}\n`);
  });
});
