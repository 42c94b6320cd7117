import type { StackComponent } from '../../src/components/component';
import { cadvisor } from '../../src/components/cadvisor';
import { REGISTRY, buildEndpoints } from '../../src/components/registry';
import { helmTempoConfig } from '../../src/components/tempo/helm-values';
import { resolveEnvironment } from '../../src/config/resolve';
import { metricsSeriesBudget } from '../../src/lib/series-budget';

// The registry the components ask: the real one unless a test replaces it.
let mockComponents: readonly StackComponent<string>[] | undefined;
jest.mock('../../src/lib/registered-components', () => {
  const actual = jest.requireActual('../../src/lib/registered-components');
  return { ...actual, registeredComponents: () => mockComponents ?? actual.registeredComponents() };
});

const cfg = resolveEnvironment({ name: 'x', profile: 'large', overrides: {} }).config;
const store: StackComponent<string> = { id: 'store', enabled: () => true, seriesBudget: () => ({ activeSeries: 4000, nodeContainersSampleLimit: 5000 }) };
/** The registry with its metrics store's budget declared by a stand-in instead. */
const withStandIn = (): StackComponent<string>[] => [...REGISTRY.map(({ seriesBudget: _, ...c }) => c), store];

describe('metricsSeriesBudget', () => {
  afterEach(() => { mockComponents = undefined; });

  test('one enabled component declares it; none or two is an internal error', () => {
    expect(metricsSeriesBudget(cfg, [store])).toEqual({ activeSeries: 4000, nodeContainersSampleLimit: 5000 });
    expect(() => metricsSeriesBudget(cfg, [{ ...store, enabled: () => false }])).toThrow('one enabled component must declare a series budget, none does');
    expect(() => metricsSeriesBudget(cfg, [...REGISTRY, store])).toThrow('components prometheus and store do');
  });

  test('Tempo\'s generator ceiling and cAdvisor\'s containers per node follow whichever store declares it', () => {
    mockComponents = withStandIn();
    expect(helmTempoConfig({ cfg, endpoints: buildEndpoints(cfg) }).overrides.defaults.metrics_generator!.max_active_series).toBe(1000);
    expect(cadvisor.readme!.capacity!(cfg)).toEqual([{ label: 'containers per node', value: 50 }]);
  });
});
