import { TEMPO_EXEMPLAR_TRACE_ID_LABEL } from '../../../src/components/tempo/tempo-config';
import { LOG_FIELDS } from '../../../src/lib/signals';
import { linkedDatasourceUids } from '../../../src/lib/datasources';
import { datasource, datasourcesOf } from '../../support/datasources';

describe('Prometheus datasource', () => {
  test('exemplars: Tempo\'s exemplar label and the services\' trace field open the traces datasource', () => {
    const prom = datasource(datasourcesOf('dev'), 'prometheus');
    expect(prom.jsonData.exemplarTraceIdDestinations).toEqual([
      { name: TEMPO_EXEMPLAR_TRACE_ID_LABEL, datasourceUid: 'tempo', urlDisplayLabel: 'View trace' },
      { name: LOG_FIELDS.traceId, datasourceUid: 'tempo', urlDisplayLabel: 'View trace' },
    ]);
    expect(prom.jsonData.alertmanagerUid).toBe('alertmanager');
  });

  test('a long-term store serves the metrics role under the same uid; the local rules get their own datasource', () => {
    const all = datasourcesOf('dev', { grafana: { metricsDatasource: { url: 'https://mimir.example.com/prometheus', type: 'Mimir', headers: { 'X-Scope-OrgID': 'a' } } } });
    expect(all.map((d) => [d.role, d.uid])).toEqual([['metrics', 'prometheus'], ['logs', 'loki'], ['traces', 'tempo'], ['rules', 'prometheus-local'], ['alerts', 'alertmanager']]);
    const metrics = datasource(all, 'prometheus');
    expect(metrics.url).toBe('https://mimir.example.com/prometheus');
    expect(metrics.jsonData).toMatchObject({ prometheusType: 'Mimir', httpHeaderName1: 'X-Scope-OrgID' });
    expect(metrics.jsonData).not.toHaveProperty('prometheusVersion');
    // The store holds none of the stack's rules: the Alertmanager is linked from the local rules' datasource only.
    expect(linkedDatasourceUids(metrics.jsonData)).not.toContain('alertmanager');
    expect(datasource(all, 'prometheus-local').jsonData).toMatchObject({ prometheusType: 'Prometheus', alertmanagerUid: 'alertmanager' });
  });

  test('no local rules datasource when alerts are off', () => {
    const all = datasourcesOf('dev', { grafana: { metricsDatasource: { url: 'https://mimir.example.com/prometheus', type: 'Mimir' } }, alerts: { enabled: false } });
    expect(all.map((d) => d.uid)).toContain('prometheus');
    expect(all.map((d) => d.uid)).not.toContain('prometheus-local');
  });
});
