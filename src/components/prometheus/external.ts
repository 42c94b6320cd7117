/** The addresses outside the stack Prometheus reaches: remote-write targets, static scrape targets, external Alertmanagers. */
import type { StackConfig } from '../../config/types';
import { type ExternalEndpoint, externalEndpoint } from '../../lib/external';

export function prometheusExternalEndpoints(cfg: StackConfig): ExternalEndpoint[] {
  const out: ExternalEndpoint[] = [];
  for (const rw of cfg.prometheus.remoteWrite) {
    out.push(...externalEndpoint(`remote-write-${rw.name}`, 'prometheus', rw.url, `Prometheus remote-writes to ${rw.name}`));
  }
  for (const job of cfg.prometheus.extraScrapeConfigs) {
    (job.staticConfigs ?? []).flatMap((sc) => sc.targets).forEach((target, i) => {
      out.push(...externalEndpoint(`scrape-${job.jobName}-${i}`, 'prometheus', `${job.scheme ?? 'http'}://${target}`, `Prometheus scrapes ${target} (job ${job.jobName})`));
    });
  }
  if (cfg.alerts.enabled) {
    cfg.alerts.alertmanagers.forEach((am, i) => {
      out.push(...externalEndpoint(`alertmanager-${i}`, 'prometheus', am.url, `Prometheus sends firing alerts to the Alertmanager at ${am.url}`));
    });
  }
  return out;
}
