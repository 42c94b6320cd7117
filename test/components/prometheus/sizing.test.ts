import { resolveEnvironment } from '../../../src/config/resolve';
import type { ProfileName } from '../../../src/config/types';
import { parseQuantity } from '../../../src/config/units';
import { MEMORY_SHARE, PROMETHEUS_COST, prometheusSizing } from '../../../src/components/prometheus/sizing';

const cfg = (profile: ProfileName, overrides?: object) => resolveEnvironment({ name: 't', profile, overrides }).config;

describe('Prometheus\'s sizing from the profile\'s resources', () => {
  it('keeps Prometheus\'s query engine within its share of memory, between 4 and 20 queries', () => {
    for (const profile of ['dev', 'prod', 'large'] as const) {
      const p = cfg(profile).prometheus;
      const s = prometheusSizing(p);
      const mem = parseQuantity(p.resources.limits.memory)!;
      expect(s.queryConcurrency * s.queryMaxSamples * PROMETHEUS_COST.bytesPerSample).toBeLessThanOrEqual(MEMORY_SHARE.queries * mem);
      expect(s.queryConcurrency).toBeGreaterThanOrEqual(4);
      expect(s.queryConcurrency).toBeLessThanOrEqual(20);
    }
    expect(prometheusSizing(cfg('prod', { prometheus: { resources: { limits: { memory: '64Gi' } } } }).prometheus)).toMatchObject({ queryConcurrency: 20, queryMaxSamples: 50_000_000 });
  });
});
