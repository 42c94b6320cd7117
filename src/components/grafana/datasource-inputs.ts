/** Which datasources Grafana gets and where each points, shared by its chart and its Helm values. */
import { type DatasourceContext, stackDatasources } from '../../lib/datasources';
import type { DatasourcesInput } from './datasources';
import { extraDatasourceEnv } from './extra-datasources';
import { metricsDatasourceCredentials } from './grafana';

/**
 * Grafana's datasources: those of the enabled components, each URL from `ctx.connect` (a wire on the
 * manifests, the installation's endpoint on the Helm path) or, for a long-term metrics store, an external
 * endpoint's; then the user's. One of them must serve the metrics role: it is the default datasource, and
 * the stack's dashboards query it.
 */
export function grafanaDatasourcesFor(ctx: DatasourceContext): DatasourcesInput {
  const g = ctx.cfg.grafana;
  const metricsAuth = metricsDatasourceCredentials(g.metricsDatasource).auth;
  const datasources = stackDatasources(ctx);
  if (!datasources.some((d) => d.role === 'metrics')) throw new Error('internal: no enabled component gives Grafana a metrics datasource');
  return {
    datasources,
    ...(metricsAuth !== undefined ? { metricsAuth } : {}),
    ...(g.extraDatasources.length > 0 ? { extra: extraDatasourceEnv(g.extraDatasources).inputs } : {}),
  };
}
