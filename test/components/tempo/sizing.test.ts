import { resolveEnvironment } from '../../../src/config/resolve';
import type { ProfileName } from '../../../src/config/types';
import { prometheusSizing } from '../../../src/components/prometheus/sizing';
import { TEMPO_COST, tempoSizing } from '../../../src/components/tempo/sizing';
import { metricsSeriesBudget } from '../../../src/lib/series-budget';

const cfg = (profile: ProfileName, overrides?: object) => resolveEnvironment({ name: 't', profile, overrides }).config;
const MiB = 2 ** 20;

describe('Tempo\'s sizing from the profile\'s resources', () => {
  it('caps Tempo\'s generator by the metrics store\'s series budget and Tempo\'s own memory', () => {
    const c = cfg('large');
    expect(tempoSizing(c.tempo, metricsSeriesBudget(c)).generatorMaxActiveSeries).toBe(prometheusSizing(c.prometheus).activeSeries / 4);
    const small = cfg('large', { tempo: { resources: { requests: { memory: '512Mi' }, limits: { memory: '512Mi' } } } });
    expect(tempoSizing(small.tempo, metricsSeriesBudget(small)).generatorMaxActiveSeries).toBe((512 * MiB * 0.25) / TEMPO_COST.bytesPerGeneratorSeries);
  });
});
