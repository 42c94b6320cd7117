/** The addresses outside the stack the Alertmanager reaches: its receivers. */
import type { StackConfig } from '../../config/types';
import { type ExternalEndpoint, externalEndpoint } from '../../lib/external';
import { hasIntegrations, smarthostPorts } from './alertmanager-config';

/** The receivers' URLs the config names; the others are in Secrets, so only their ports are known. */
export function alertmanagerExternalEndpoints(cfg: StackConfig): ExternalEndpoint[] {
  const am = cfg.alertmanager;
  const out: ExternalEndpoint[] = [];
  for (const r of am.receivers) {
    (r.opsgenie_configs ?? []).forEach((o, i) => {
      if (o.api_url !== undefined) out.push(...externalEndpoint(`alertmanager-${r.name}-opsgenie-${i}`, 'alertmanager', o.api_url, `Alertmanager notifies Opsgenie (receiver ${r.name})`));
    });
  }
  if (hasIntegrations(am.receivers)) {
    for (const port of [...new Set([...am.notificationEgressPorts, ...smarthostPorts(am.receivers)])].sort((a, b) => a - b)) {
      out.push({ name: `alertmanager-notifications-${port}`, from: 'alertmanager', port, purpose: `Alertmanager delivers notifications on port ${port} (receiver addresses are in Secrets)` });
    }
  }
  return out;
}
