import { resolveEnvironment } from '../../src/config/resolve';
import type { StackOverrides } from '../../src/config/types';

const resolve = (overrides: StackOverrides) => () => resolveEnvironment({ name: 'bad', profile: 'dev', overrides });

describe('alerts validation', () => {
  it('fails when alerts.thresholds.minRequestRate is negative', () => {
    expect(resolve({ alerts: { thresholds: { minRequestRate: -1 } } }))
      .toThrow(/alerts\.thresholds\.minRequestRate: -1 must be zero or a positive number; use e\.g\. 0\.1/);
  });

  it('fails when alerts.thresholds.downFor is not a duration', () => {
    expect(resolve({ alerts: { thresholds: { downFor: 'soon' } } }))
      .toThrow(/alerts\.thresholds\.downFor: "soon" is not a duration; use e\.g\. "2m"/);
  });

  it('fails when alerts.thresholds.errorRatio is above 1', () => {
    expect(resolve({ alerts: { thresholds: { errorRatio: 5 } } }))
      .toThrow(/alerts\.thresholds\.errorRatio: 5 is not a ratio between 0 and 1; use e\.g\. 0\.05/);
  });

  it('accepts per-environment alert knobs', () => {
    const cfg = resolveEnvironment({ name: 'ok', profile: 'prod', overrides: { alerts: { thresholds: { minRequestRate: 1, downFor: '1m' } } } }).config;
    expect(cfg.alerts.thresholds).toMatchObject({ minRequestRate: 1, downFor: '1m', for: '10m', errorRatio: 0.02 });
  });
});
