/** The Secrets the in-stack Alertmanager references, for the user to create (`src/lib/user-secrets.ts`). */
import type { StackConfig } from '../../config/types';
import type { SecretNeed } from '../../lib/user-secrets';
import { receiverSecrets } from './alertmanager-config';
import { alertmanagerDeployed } from './config';

/** The receivers' credentials, mounted into the in-stack Alertmanager as *_file keys. */
export function alertmanagerUserSecrets(cfg: StackConfig): SecretNeed[] {
  if (!alertmanagerDeployed(cfg)) return [];
  return [...receiverSecrets(cfg.alertmanager.receivers)].map(([name, keys]) => ({
    use: 'alert-receivers', name, namespace: cfg.common.namespace, keys,
    purpose: 'Alertmanager receiver credentials: webhook URLs, API keys, SMTP password (kubectl create secret generic)',
    shared: { purpose: 'Alertmanager receivers too' },
  }));
}
