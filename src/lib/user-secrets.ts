/**
 * The Secrets the user creates before `kubectl apply`: obs-stack never writes secret material, it only
 * references Secrets by name. This is the one list of them; the references check accepts exactly these as
 * "missing from the output on purpose", and the README lists them for the user.
 */
import type { StackConfig } from '../config/types';
import { objectStorageSecretKeys } from './object-storage';
import { alertmanagerSecrets, remoteWriteSecrets } from '../components/prometheus/prometheus';
import { extraScrapeSecretRefs } from '../components/prometheus/scrape-configs';
import { adminSecretCommand, metricsDatasourceCredentials } from '../components/grafana/grafana';
import { extraDatasourceEnv } from '../components/grafana/extra-datasources';
import { alertmanagerDeployed } from '../components/alertmanager';
import { receiverSecrets } from '../components/alertmanager/alertmanager-config';

export interface UserSecret {
  readonly name: string;
  readonly namespace: string;
  /** Keys the Secret must hold (empty: the Secret's type decides, e.g. a dockerconfigjson pull secret). */
  readonly keys: readonly string[];
  /** One line for the user: what it is for and how to create it. */
  readonly purpose: string;
  /** The command that creates it, where its keys' values are not the user's to give. @default - one with `<key>` where each value goes */
  readonly command?: string;
}

/** Every Secret the given config expects the user (or cert-manager) to create. */
export function userSecrets(cfg: StackConfig): UserSecret[] {
  const ns = cfg.common.namespace;
  const out: UserSecret[] = [];
  const g = cfg.grafana;
  if (g.enabled && g.adminSecret.name !== '') {
    out.push({
      name: g.adminSecret.name,
      namespace: ns,
      keys: [g.adminSecret.userKey, g.adminSecret.passwordKey],
      purpose: 'Grafana admin user name and password (kubectl create secret generic)',
      command: adminSecretCommand(g, ns),
    });
  }
  if (g.enabled && g.ingress.enabled && g.ingress.tlsSecretName !== undefined) {
    out.push({
      name: g.ingress.tlsSecretName,
      namespace: ns,
      keys: ['tls.crt', 'tls.key'],
      purpose: `TLS certificate for ${g.ingress.host} (kubectl create secret tls, or cert-manager)`,
    });
  }
  // Object-store credentials (absent with workload identity).
  for (const [component, spec] of [['Loki', cfg.loki.enabled ? cfg.loki.objectStorage : undefined], ['Tempo', cfg.tempo.enabled ? cfg.tempo.objectStorage : undefined]] as const) {
    if (spec === undefined) continue;
    const keys = objectStorageSecretKeys(spec);
    if (keys.length === 0) continue;
    const existing = out.find((s) => s.name === spec.credentials.secretName && s.namespace === ns);
    if (existing) {
      out[out.indexOf(existing)] = { ...existing, keys: [...new Set([...existing.keys, ...keys])], purpose: `${existing.purpose}; ${component} uses it too` };
      continue;
    }
    out.push({
      name: spec.credentials.secretName,
      namespace: ns,
      keys,
      purpose: `${component} ${spec.type} object-storage credentials (kubectl create secret generic ${spec.credentials.secretName} --from-literal=...)`,
    });
  }
  // Remote-write credentials, mounted into Prometheus as files.
  for (const [name, keys] of remoteWriteSecrets(cfg.prometheus.remoteWrite)) {
    out.push({ name, namespace: ns, keys, purpose: 'Prometheus remote-write credentials (kubectl create secret generic)' });
  }
  // The long-term store's credentials for Grafana's metrics datasource (one Secret may serve remote write too).
  if (g.enabled) {
    for (const e of metricsDatasourceCredentials(g.metricsDatasource).env) {
      const i = out.findIndex((s) => s.name === e.secretName && s.namespace === ns);
      if (i >= 0) out[i] = { ...out[i], keys: [...new Set([...out[i].keys, e.key])].sort(), purpose: `${out[i].purpose}; Grafana reads the metrics store with it too` };
      else out.push({ name: e.secretName, namespace: ns, keys: [e.key], purpose: 'Grafana\'s credentials for the long-term metrics store (kubectl create secret generic)' });
    }
    // The extra datasources' secureJsonData, read into Grafana's environment.
    for (const e of extraDatasourceEnv(g.extraDatasources).env) {
      const i = out.findIndex((s) => s.name === e.secretName && s.namespace === ns);
      if (i >= 0) out[i] = { ...out[i], keys: [...new Set([...out[i].keys, e.key])].sort() };
      else out.push({ name: e.secretName, namespace: ns, keys: [e.key], purpose: 'credentials of one of grafana.extraDatasources (kubectl create secret generic)' });
    }
  }
  // Alertmanager credentials, mounted the same way (one Secret may serve both).
  for (const [name, keys] of alertmanagerSecrets(cfg.alerts.enabled ? cfg.alerts.alertmanagers : [])) {
    const i = out.findIndex((s) => s.name === name && s.namespace === ns);
    if (i >= 0) out[i] = { ...out[i], keys: [...new Set([...out[i].keys, ...keys])].sort(), purpose: `${out[i].purpose}; Prometheus's Alertmanager credentials too` };
    else out.push({ name, namespace: ns, keys, purpose: 'Prometheus Alertmanager credentials (kubectl create secret generic)' });
  }
  // The Alertmanager receivers' credentials, mounted into the in-stack Alertmanager as *_file keys.
  if (alertmanagerDeployed(cfg)) {
    for (const [name, keys] of receiverSecrets(cfg.alertmanager.receivers)) {
      const i = out.findIndex((s) => s.name === name && s.namespace === ns);
      if (i >= 0) out[i] = { ...out[i], keys: [...new Set([...out[i].keys, ...keys])].sort(), purpose: `${out[i].purpose}; Alertmanager receivers too` };
      else out.push({ name, namespace: ns, keys, purpose: 'Alertmanager receiver credentials: webhook URLs, API keys, SMTP password (kubectl create secret generic)' });
    }
  }
  // The extra scrape jobs' credentials and CAs, mounted the same way.
  for (const r of extraScrapeSecretRefs(cfg.prometheus.extraScrapeConfigs)) {
    const i = out.findIndex((s) => s.name === r.secretName && s.namespace === ns);
    if (i >= 0) out[i] = { ...out[i], keys: [...new Set([...out[i].keys, r.key])].sort() };
    else out.push({ name: r.secretName, namespace: ns, keys: [r.key], purpose: 'credentials of one of prometheus.extraScrapeConfigs (kubectl create secret generic)' });
  }
  // Pull secrets are referenced by pods in both namespaces, so each namespace needs its own copy.
  for (const name of cfg.common.imagePullSecrets) {
    for (const namespace of [ns, cfg.common.agentNamespace]) {
      out.push({ name, namespace, keys: [], purpose: 'image pull credentials for common.imageRegistry (kubectl create secret docker-registry)' });
    }
  }
  return out;
}
