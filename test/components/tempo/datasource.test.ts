import { parser } from '@prometheus-io/lezer-promql';
import { GRAFANA_QUERIES, SPAN_METRICS, type TempoJsonData } from '../../../src/components/tempo/datasource';
import { QUERY_PLACEHOLDERS } from '../../../src/lib/datasources';
import { datasource, datasourcesOf } from '../../support/datasources';

/** PromQL syntax errors found by the Prometheus UI's own grammar. */
function promqlErrors(query: string): string[] {
  const errors: string[] = [];
  parser.parse(query).iterate({
    enter: (n) => {
      if (n.type.isError) errors.push(`error at ${n.from}: ${JSON.stringify(query.slice(Math.max(0, n.from - 10), n.to + 10))}`);
    },
  });
  return errors;
}

const tempoOf = (...args: Parameters<typeof datasourcesOf>) => datasource(datasourcesOf(...args), 'tempo').jsonData as unknown as TempoJsonData;

describe('Grafana queries', () => {
  const all = Object.values(GRAFANA_QUERIES).flat();

  test.each(all.map((q) => [q.name, q.query]))('%s is valid PromQL with the tags placeholder expanded or empty', (_name, query) => {
    expect(query).toContain(QUERY_PLACEHOLDERS.tags);
    expect(promqlErrors(query.replace(QUERY_PLACEHOLDERS.tags, 'service="checkout",namespace="shop"'))).toEqual([]);
    expect(promqlErrors(query.replace(QUERY_PLACEHOLDERS.tags, ''))).toEqual([]);
  });

  test('RED queries read Tempo span metrics', () => {
    const text = all.map((q) => q.query).join('\n');
    expect(text).toContain(SPAN_METRICS.calls);
    expect(text).toContain(SPAN_METRICS.latencyBucket);
    expect(text).toContain(`${SPAN_METRICS.statusCodeLabel}="${SPAN_METRICS.errorStatus}"`);
  });

  test('the provisioned datasource carries exactly the exported queries', () => {
    expect(tempoOf('dev').tracesToMetrics?.queries).toEqual(GRAFANA_QUERIES.tracesToMetrics);
  });
});

describe('Tempo datasource', () => {
  test('traces -> logs and traces -> metrics link the logs and metrics datasources', () => {
    const tempo = tempoOf('dev');
    expect(tempo.tracesToLogsV2?.datasourceUid).toBe('loki');
    expect(tempo.tracesToMetrics?.datasourceUid).toBe('prometheus');
    expect(tempo.serviceMap).toEqual({ datasourceUid: 'prometheus' });
  });

  test('without the metrics-generator: no span-metrics queries and no service graph', () => {
    const tempo = tempoOf('dev', { tempo: { metricsGenerator: false } });
    expect(tempo).not.toHaveProperty('tracesToMetrics');
    expect(tempo).not.toHaveProperty('serviceMap');
    expect(tempo).toMatchObject({ nodeGraph: { enabled: true }, tracesToLogsV2: { datasourceUid: 'loki' } });
  });
});
