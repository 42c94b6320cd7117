/** The Secrets Prometheus references, for the user to create (`src/lib/user-secrets.ts`). */
import type { StackConfig } from '../../config/types';
import type { SecretNeed } from '../../lib/user-secrets';
import { alertmanagerSecrets, remoteWriteSecrets } from './prometheus';
import { extraScrapeSecretRefs } from './scrape-configs';

export function prometheusUserSecrets(cfg: StackConfig): SecretNeed[] {
  const namespace = cfg.common.namespace;
  const out: SecretNeed[] = [];
  // Remote-write credentials, mounted into Prometheus as files.
  for (const [name, keys] of remoteWriteSecrets(cfg.prometheus.remoteWrite)) {
    out.push({ use: 'remote-write', name, namespace, keys, purpose: 'Prometheus remote-write credentials (kubectl create secret generic)' });
  }
  // Alertmanager credentials, mounted the same way (one Secret may serve both).
  for (const [name, keys] of alertmanagerSecrets(cfg.alerts.enabled ? cfg.alerts.alertmanagers : [])) {
    out.push({
      use: 'alert-delivery', name, namespace, keys,
      purpose: 'Prometheus Alertmanager credentials (kubectl create secret generic)',
      shared: { purpose: 'Prometheus\'s Alertmanager credentials too' },
    });
  }
  // The extra scrape jobs' credentials and CAs, mounted the same way.
  for (const r of extraScrapeSecretRefs(cfg.prometheus.extraScrapeConfigs)) {
    out.push({ use: 'scrape', name: r.secretName, namespace, keys: [r.key], purpose: 'credentials of one of prometheus.extraScrapeConfigs (kubectl create secret generic)' });
  }
  return out;
}
