import { serviceMetricsContractMarkdown } from '../../../src/components/prometheus/recorded-series';
import { APP_METRICS } from '../../../src/lib/signals';

describe('recorded series', () => {
  it('documents the metric names a service must expose', () => {
    const md = serviceMetricsContractMarkdown();
    expect(md).toContain(APP_METRICS.requestsTotal);
    expect(md).toContain(APP_METRICS.requestDuration);
    expect(md).toContain('traces_spanmetrics_calls_total');
  });
});
