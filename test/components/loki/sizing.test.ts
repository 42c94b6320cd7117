import { resolveEnvironment } from '../../../src/config/resolve';
import type { ProfileName } from '../../../src/config/types';
import { MEMORY_SHARE, lokiSizing } from '../../../src/components/loki/sizing';

const cfg = (profile: ProfileName, overrides?: object) => resolveEnvironment({ name: 't', profile, overrides }).config;
const MiB = 2 ** 20;

describe('Loki\'s sizing from the profile\'s resources', () => {
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
    expect(smaller.chunkCacheMB).toBe(Math.floor((2 ** 30 * MEMORY_SHARE.chunkCache) / 1e6));
  });
});
