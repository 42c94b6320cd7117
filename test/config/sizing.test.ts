import { TIMEOUTS, retryWindowSeconds } from '../../src/config/sizing';

describe('the shared timeouts', () => {
  it('orders the timeout chain, and the agents\' retries outlast Loki\'s shutdown and start-up budget', () => {
    expect(TIMEOUTS.query).toBeLessThan(TIMEOUTS.backendWrite);
    expect(TIMEOUTS.backendWrite).toBeLessThan(TIMEOUTS.grafana);
    expect(TIMEOUTS.agentPush).toBeLessThan(TIMEOUTS.backendRead);
    const b = TIMEOUTS.agentBackoff;
    expect(retryWindowSeconds(b)).toBe(843.5);
    expect(retryWindowSeconds({ minSeconds: 0.5, maxSeconds: 300, retries: 10 })).toBe(511.5); // both agents' default
  });
});
