/** Which datasources Grafana gets and where each points, shared by its chart and its Helm values. */
import { type DatasourceContext, stackDatasources } from '../../lib/datasources';
import type { DatasourcesInput } from './datasources';
import { extraDatasourceEnv } from './extra-datasources';
import { metricsDatasourceCredentials } from './grafana';

/**
 * Grafana's datasources: those of the enabled components, each URL from `ctx.connect` (a wire on the
 * manifests, the installation's endpoint on the Helm path), then the user's.
 */
export function grafanaDatasourcesFor(ctx: DatasourceContext): DatasourcesInput {
  const g = ctx.cfg.grafana;
  const metricsAuth = metricsDatasourceCredentials(g.metricsDatasource).auth;
  return {
    datasources: stackDatasources(ctx),
    ...(metricsAuth !== undefined ? { metricsAuth } : {}),
    ...(g.extraDatasources.length > 0 ? { extra: extraDatasourceEnv(g.extraDatasources).inputs } : {}),
  };
}
