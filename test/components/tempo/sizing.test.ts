import { resolveEnvironment } from '../../../src/config/resolve';
import type { ProfileName } from '../../../src/config/types';
import { prometheusSizing } from '../../../src/components/prometheus/sizing';
import { TEMPO_COST, tempoSizing } from '../../../src/components/tempo/sizing';

const cfg = (profile: ProfileName, overrides?: object) => resolveEnvironment({ name: 't', profile, overrides }).config;
const MiB = 2 ** 20;

describe('Tempo\'s sizing from the profile\'s resources', () => {
  it('caps Tempo\'s generator by Prometheus\'s series budget and Tempo\'s own memory', () => {
    const c = cfg('large');
    expect(tempoSizing(c.tempo, c.prometheus).generatorMaxActiveSeries).toBe(prometheusSizing(c.prometheus).activeSeries / 4);
    const small = cfg('large', { tempo: { resources: { requests: { memory: '512Mi' }, limits: { memory: '512Mi' } } } });
    expect(tempoSizing(small.tempo, small.prometheus).generatorMaxActiveSeries).toBe((512 * MiB * 0.25) / TEMPO_COST.bytesPerGeneratorSeries);
  });
});
