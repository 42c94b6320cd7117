/**
 * External endpoints: every address outside the stack that a component reaches on its own (object storage,
 * remote-write targets, static scrape targets, Alertmanagers, an external metrics datasource, extra datasources), declared here and nowhere else. The NetworkPolicies
 * turn each into an egress rule for exactly the components that use it, and the verification suite's wiring
 * check accepts exactly these hosts as "outside the output on purpose".
 */
import type { StackConfig } from '../config/types';
import type { ComponentName } from '../components/registry';
import { storeAddress } from './object-storage';
import { alertmanagerDeployed } from '../components/alertmanager';
import { hasIntegrations, smarthostPorts } from '../components/alertmanager/alertmanager-config';
import { datasourceHostPort } from '../components/grafana/extra-datasources';

export interface ExternalEndpoint {
  /** Stable id, e.g. `loki-object-storage`, `remote-write-mimir`. */
  readonly name: string;
  /** The component whose pods open the connection. */
  readonly from: ComponentName;
  /** Absent when only the port is known: the address is in a Secret the user creates (an Alertmanager receiver's URL). */
  readonly host?: string;
  readonly port: number;
  readonly url?: string;
  readonly purpose: string;
  /** Set when the host is a Service of this cluster (`<service>.<namespace>.svc`), e.g. an in-cluster MinIO. */
  readonly inCluster?: { readonly service: string; readonly namespace: string };
}

const IN_CLUSTER_HOST = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/;

/** Host and port of an http(s) URL (path ignored); undefined when it is not one. */
export function urlHostPort(url: string): { host: string; port: number } | undefined {
  const m = /^(https?):\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?(?:[/?#]|$)/.exec(url);
  if (!m) return undefined;
  return { host: m[2].toLowerCase(), port: m[3] !== undefined ? Number(m[3]) : m[1] === 'https' ? 443 : 80 };
}

function external(name: string, from: ComponentName, url: string, purpose: string, hp = urlHostPort(url)): ExternalEndpoint[] {
  if (hp === undefined) return [];
  const m = IN_CLUSTER_HOST.exec(hp.host);
  return [{ name, from, host: hp.host, port: hp.port, url, purpose, ...(m ? { inCluster: { service: m[1], namespace: m[2] } } : {}) }];
}

/** Every external endpoint the config makes the stack reach, in a fixed order. */
export function externalEndpoints(cfg: StackConfig): ExternalEndpoint[] {
  const out: ExternalEndpoint[] = [];
  if (cfg.loki.enabled) {
    const a = storeAddress(cfg.loki.objectStorage);
    if (a) out.push(...external('loki-object-storage', 'loki', a.url, `Loki stores chunks and index in ${cfg.loki.objectStorage.type}`));
  }
  if (cfg.tempo.enabled) {
    const a = storeAddress(cfg.tempo.objectStorage);
    if (a) out.push(...external('tempo-object-storage', 'tempo', a.url, `Tempo stores trace blocks in ${cfg.tempo.objectStorage.type}`));
  }
  for (const rw of cfg.prometheus.remoteWrite) {
    out.push(...external(`remote-write-${rw.name}`, 'prometheus', rw.url, `Prometheus remote-writes to ${rw.name}`));
  }
  for (const job of cfg.prometheus.extraScrapeConfigs) {
    (job.staticConfigs ?? []).flatMap((sc) => sc.targets).forEach((target, i) => {
      out.push(...external(`scrape-${job.jobName}-${i}`, 'prometheus', `${job.scheme ?? 'http'}://${target}`, `Prometheus scrapes ${target} (job ${job.jobName})`));
    });
  }
  if (cfg.alerts.enabled) {
    cfg.alerts.alertmanagers.forEach((am, i) => {
      out.push(...external(`alertmanager-${i}`, 'prometheus', am.url, `Prometheus sends firing alerts to the Alertmanager at ${am.url}`));
    });
  }
  if (alertmanagerDeployed(cfg)) {
    const am = cfg.alertmanager;
    // The receivers' URLs the config names; the others are in Secrets, so only their ports are known.
    for (const r of am.receivers) {
      (r.opsgenie_configs ?? []).forEach((o, i) => {
        if (o.api_url !== undefined) out.push(...external(`alertmanager-${r.name}-opsgenie-${i}`, 'alertmanager', o.api_url, `Alertmanager notifies Opsgenie (receiver ${r.name})`));
      });
    }
    if (hasIntegrations(am.receivers)) {
      for (const port of [...new Set([...am.notificationEgressPorts, ...smarthostPorts(am.receivers)])].sort((a, b) => a - b)) {
        out.push({ name: `alertmanager-notifications-${port}`, from: 'alertmanager', port, purpose: `Alertmanager delivers notifications on port ${port} (receiver addresses are in Secrets)` });
      }
    }
  }
  if (cfg.grafana.enabled && cfg.grafana.metricsDatasource.url !== '') {
    out.push(...external('metrics-datasource', 'grafana', cfg.grafana.metricsDatasource.url, 'Grafana queries metrics from the long-term store'));
  }
  if (cfg.grafana.enabled) {
    for (const d of cfg.grafana.extraDatasources) {
      if (d.url === undefined) continue;
      out.push(...external(`datasource-${d.uid}`, 'grafana', d.url, `Grafana queries the ${d.type} datasource ${d.name}`, datasourceHostPort(d.url)));
    }
  }
  return out;
}
