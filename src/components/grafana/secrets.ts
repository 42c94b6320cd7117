/** The Secrets Grafana references, for the user to create (`src/lib/user-secrets.ts`). */
import type { StackConfig } from '../../config/types';
import type { SecretNeed } from '../../lib/user-secrets';
import { adminSecretCommand, metricsDatasourceCredentials } from './grafana';
import { extraDatasourceEnv } from './extra-datasources';

export function grafanaUserSecrets(cfg: StackConfig): SecretNeed[] {
  const g = cfg.grafana;
  if (!g.enabled) return [];
  const namespace = cfg.common.namespace;
  const out: SecretNeed[] = [];
  if (g.adminSecret.name !== '') {
    out.push({
      use: 'login',
      name: g.adminSecret.name,
      namespace,
      keys: [g.adminSecret.userKey, g.adminSecret.passwordKey],
      purpose: 'Grafana admin user name and password (kubectl create secret generic)',
      command: adminSecretCommand(g, namespace),
    });
  }
  if (g.ingress.enabled && g.ingress.tlsSecretName !== undefined) {
    out.push({
      use: 'login',
      name: g.ingress.tlsSecretName,
      namespace,
      keys: ['tls.crt', 'tls.key'],
      purpose: `TLS certificate for ${g.ingress.host} (kubectl create secret tls, or cert-manager)`,
    });
  }
  // The long-term store's credentials for Grafana's metrics datasource (one Secret may serve remote write too).
  for (const e of metricsDatasourceCredentials(g.metricsDatasource).env) {
    out.push({
      use: 'metrics-store', name: e.secretName, namespace, keys: [e.key],
      purpose: 'Grafana\'s credentials for the long-term metrics store (kubectl create secret generic)',
      shared: { purpose: 'Grafana reads the metrics store with it too' },
    });
  }
  // The extra datasources' secureJsonData, read into Grafana's environment.
  for (const e of extraDatasourceEnv(g.extraDatasources).env) {
    out.push({ use: 'datasources', name: e.secretName, namespace, keys: [e.key], purpose: 'credentials of one of grafana.extraDatasources (kubectl create secret generic)' });
  }
  return out;
}
