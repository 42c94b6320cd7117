/** The addresses outside the stack Grafana queries: the long-term metrics store and the extra datasources. */
import type { StackConfig } from '../../config/types';
import { type ExternalEndpoint, externalEndpoint } from '../../lib/external';
import { datasourceHostPort } from './extra-datasources';

export function grafanaExternalEndpoints(cfg: StackConfig): ExternalEndpoint[] {
  const g = cfg.grafana;
  const out: ExternalEndpoint[] = [];
  if (g.metricsDatasource.url !== '') {
    out.push(...externalEndpoint('metrics-datasource', 'grafana', g.metricsDatasource.url, 'Grafana queries metrics from the long-term store'));
  }
  for (const d of g.extraDatasources) {
    if (d.url === undefined) continue;
    out.push(...externalEndpoint(`datasource-${d.uid}`, 'grafana', d.url, `Grafana queries the ${d.type} datasource ${d.name}`, datasourceHostPort(d.url)));
  }
  return out;
}
