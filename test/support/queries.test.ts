import { APP_METRICS } from '../../src/lib/signals';
import { labelValuesSelector, parseErrors, promqlMetricNames, substituteGrafanaVariables } from './queries';

describe('query support', () => {
  it('accepts valid queries of each language', () => {
    expect(parseErrors('promql', 'sum by (le) (rate(foo_bucket{a="b"}[5m]))')).toEqual([]);
    expect(parseErrors('logql', 'sum by (level) (count_over_time({service="x"} |~ "err" [1m]))')).toEqual([]);
    expect(parseErrors('traceql', '{ resource.service.name = "x" && status = error }')).toEqual([]);
  });

  it('fails on a broken PromQL query', () => {
    expect(parseErrors('promql', 'sum(rate(foo[5m])')).not.toEqual([]);
  });

  it('fails on a broken LogQL query', () => {
    expect(parseErrors('logql', '{service="x"')).not.toEqual([]);
  });

  it('fails on a broken TraceQL query', () => {
    expect(parseErrors('traceql', '{ resource.service.name = }')).not.toEqual([]);
  });

  it('fails on an empty query', () => {
    expect(parseErrors('promql', ' ')).not.toEqual([]);
  });

  it('fails on an unsubstituted Grafana variable, and substitution fixes it', () => {
    const q = 'rate(foo{service="$service"}[$__rate_interval])';
    expect(parseErrors('promql', q)).not.toEqual([]);
    expect(substituteGrafanaVariables(q)).toBe('rate(foo{service="v_service"}[5m])');
    expect(parseErrors('promql', substituteGrafanaVariables(q))).toEqual([]);
    expect(substituteGrafanaVariables('x{pod=~"${pod:regex}"}[${__range}]')).toBe('x{pod=~"v_pod"}[5m]');
    expect(substituteGrafanaVariables('rate(x{a="b",$__tags}[5m]) or y{${__tags}}')).toBe('rate(x{a="b",v_tag="v"}[5m]) or y{v_tag="v"}');
    expect(substituteGrafanaVariables('{a="b"} |= "${__span.traceId}"')).toBe('{a="b"} |= "v___span_traceId"');
  });

  it('extracts metric names from selectors and __name__ matchers', () => {
    expect(promqlMetricNames('sum(rate(a_total[5m])) / on (x) group_left b or {__name__="c"} or histogram_quantile(0.9, d_bucket)'))
      .toEqual(['a_total', 'b', 'c', 'd_bucket']);
    expect(promqlMetricNames(`rate(${APP_METRICS.requestDuration}_count[5m])`)).toEqual([`${APP_METRICS.requestDuration}_count`]);
    expect(promqlMetricNames('service:red_requests:rate5m{source="metrics"} > 0.1')).toEqual(['service:red_requests:rate5m']);
  });

  it('extracts the selector of a label_values variable query', () => {
    expect(labelValuesSelector('label_values(up{job="x"}, instance)')).toBe('up{job="x"}');
    expect(labelValuesSelector('label_values(instance)')).toBeUndefined();
  });
});
