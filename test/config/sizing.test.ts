import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEnvironment } from '../../src/config/resolve';
import {
  COST, MEMORY_SHARE, TIMEOUTS, capacityOf, lokiSizing, prometheusSizing, retryWindowSeconds, tempoSizing,
} from '../../src/config/sizing';
import type { ProfileName } from '../../src/config/types';
import { parseQuantity } from '../../src/config/units';
import { capacityTable, formatCount } from '../../src/outputs/summary';

const cfg = (profile: ProfileName, overrides?: object) => resolveEnvironment({ name: 't', profile, overrides }).config;
const MiB = 2 ** 20;

describe('sizing from the profile\'s resources', () => {
  it('puts Loki\'s WAL replay ceiling at 75% of the ingester\'s memory (monolithic, or the write target)', () => {
    expect(lokiSizing(cfg('dev').loki).walReplayCeilingBytes).toBe(384 * MiB);
    expect(lokiSizing(cfg('prod').loki).walReplayCeilingBytes).toBe(1536 * MiB);
    expect(lokiSizing(cfg('large').loki).walReplayCeilingBytes).toBe(3072 * MiB);
  });

  it('spreads the stream limit over the ingesters that share it, by replication factor', () => {
    const base = cfg('large').loki;
    const six = lokiSizing({ ...base, write: { ...base.write, replicas: 6 } }).maxGlobalStreamsPerUser;
    expect(six).toBe(2 * lokiSizing(base).maxGlobalStreamsPerUser);
    expect(lokiSizing({ ...base, replicationFactor: 1 }).maxGlobalStreamsPerUser).toBe(3 * lokiSizing(base).maxGlobalStreamsPerUser);
  });

  it('sizes Loki\'s caches on the smallest container that runs the shared config', () => {
    const large = cfg('large').loki;
    const smaller = lokiSizing({ ...large, read: { ...large.read, resources: { ...large.read.resources, limits: { cpu: '1', memory: '1Gi' } } } });
    expect(smaller.chunkCacheMB).toBe(Math.floor((2 ** 30 * MEMORY_SHARE.lokiChunkCache) / 1e6));
  });

  it('keeps Prometheus\'s query engine within its share of memory, between 4 and 20 queries', () => {
    for (const profile of ['dev', 'prod', 'large'] as const) {
      const p = cfg(profile).prometheus;
      const s = prometheusSizing(p);
      const mem = parseQuantity(p.resources.limits.memory)!;
      expect(s.queryConcurrency * s.queryMaxSamples * COST.prometheusBytesPerSample).toBeLessThanOrEqual(MEMORY_SHARE.prometheusQueries * mem);
      expect(s.queryConcurrency).toBeGreaterThanOrEqual(4);
      expect(s.queryConcurrency).toBeLessThanOrEqual(20);
    }
    expect(prometheusSizing(cfg('prod', { prometheus: { resources: { limits: { memory: '64Gi' } } } }).prometheus)).toMatchObject({ queryConcurrency: 20, queryMaxSamples: 50_000_000 });
  });

  it('caps Tempo\'s generator by Prometheus\'s series budget and Tempo\'s own memory', () => {
    const c = cfg('large');
    expect(tempoSizing(c.tempo, c.prometheus).generatorMaxActiveSeries).toBe(prometheusSizing(c.prometheus).activeSeries / 4);
    const small = cfg('large', { tempo: { resources: { requests: { memory: '512Mi' }, limits: { memory: '512Mi' } } } });
    expect(tempoSizing(small.tempo, small.prometheus).generatorMaxActiveSeries).toBe((512 * MiB * 0.25) / COST.tempoBytesPerGeneratorSeries);
  });

  it('orders the timeout chain, and the agents\' retries outlast Loki\'s shutdown and start-up budget', () => {
    expect(TIMEOUTS.query).toBeLessThan(TIMEOUTS.backendWrite);
    expect(TIMEOUTS.backendWrite).toBeLessThan(TIMEOUTS.grafana);
    expect(TIMEOUTS.agentPush).toBeLessThan(TIMEOUTS.backendRead);
    const b = TIMEOUTS.agentBackoff;
    expect(retryWindowSeconds(b)).toBe(843.5);
    expect(retryWindowSeconds({ minSeconds: 0.5, maxSeconds: 300, retries: 10 })).toBe(511.5); // both agents' default
  });
});

describe('the README\'s scaling table', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

  it.each(['dev', 'prod', 'large'] as const)('%s: states what the code derives', (profile) => {
    const c = capacityOf(cfg(profile));
    const expected = `| ${profile} | ${[c.containersPerNode, c.containersLogged, c.logLinesPerSecond, c.spansPerSecond, c.activeSeries].map(formatCount).join(' | ')} |`;
    expect(readme).toContain(expected);
  });

  it('matches the environment README\'s own table', () => {
    const table = capacityTable(cfg('prod'));
    expect(table.split('\n')[2]).toBe('| 250 | 1024 | 65k | 35k | 262k |');
  });
});
