/**
 * The base configuration and the profiles, assembled from each component's slice
 * (`src/components/<name>/config.ts` holds its defaults and what each profile changes) and the
 * cross-cutting sections of this folder. "What is Loki's retention by default?" is answered in
 * `src/components/loki/config.ts`.
 */
import { ALERTS_DEFAULTS, ALERTS_PROFILES } from '../components/alerts/config';
import { ALERTMANAGER_DEFAULTS, ALERTMANAGER_PROFILES } from '../components/alertmanager/config';
import { ALLOY_DEFAULTS, ALLOY_PROFILES } from '../components/alloy/config';
import { CADVISOR_DEFAULTS, CADVISOR_PROFILES } from '../components/cadvisor/config';
import { DEMO_DEFAULTS, DEMO_PROFILES } from '../components/demo/config';
import { KAFKA_DEFAULTS, KAFKA_PROFILES } from '../components/kafka/config';
import { KUBE_STATE_METRICS_DEFAULTS, KUBE_STATE_METRICS_PROFILES } from '../components/kube-state-metrics/config';
import { KUBERNETES_TARGETS_DEFAULTS, KUBERNETES_TARGETS_PROFILES } from '../components/kubernetes/config';
import { NODE_EXPORTER_DEFAULTS, NODE_EXPORTER_PROFILES } from '../components/node-exporter/config';
import { OTLP_GATEWAY_DEFAULTS, OTLP_GATEWAY_PROFILES } from '../components/otlp-gateway/config';
import { GRAFANA_DEFAULTS, GRAFANA_PROFILES } from '../components/grafana/config';
import { LOKI_DEFAULTS, LOKI_PROFILES } from '../components/loki/config';
import { PROMETHEUS_DEFAULTS, PROMETHEUS_PROFILES } from '../components/prometheus/config';
import { PROMTAIL_DEFAULTS, PROMTAIL_PROFILES } from '../components/promtail/config';
import { TEMPO_DEFAULTS, TEMPO_PROFILES } from '../components/tempo/config';
import { ARGOCD_DEFAULTS } from './argocd';
import { COMMON_DEFAULTS, COMMON_PROFILES } from './common';
import { PROFILE_NAMES, type ProfileChanges, type ProfileName } from './fields';
import { NETWORK_POLICY_DEFAULTS } from './network-policy';
import type { StackConfig, StackOverrides } from './types';

/** Each top-level section: its defaults and what each profile changes (none: the profiles leave it alone). */
const SECTIONS: { readonly [K in keyof StackConfig]: readonly [StackConfig[K], ProfileChanges<StackConfig[K]>?] } = {
  common: [COMMON_DEFAULTS, COMMON_PROFILES],
  prometheus: [PROMETHEUS_DEFAULTS, PROMETHEUS_PROFILES],
  cadvisor: [CADVISOR_DEFAULTS, CADVISOR_PROFILES],
  loki: [LOKI_DEFAULTS, LOKI_PROFILES],
  // Promtail stays the default log agent because the original design asks for it; `large` runs Alloy.
  logAgent: ['promtail', { large: 'alloy' }],
  promtail: [PROMTAIL_DEFAULTS, PROMTAIL_PROFILES],
  alloy: [ALLOY_DEFAULTS, ALLOY_PROFILES],
  tempo: [TEMPO_DEFAULTS, TEMPO_PROFILES],
  grafana: [GRAFANA_DEFAULTS, GRAFANA_PROFILES],
  alerts: [ALERTS_DEFAULTS, ALERTS_PROFILES],
  demo: [DEMO_DEFAULTS, DEMO_PROFILES],
  kafka: [KAFKA_DEFAULTS, KAFKA_PROFILES],
  argocd: [ARGOCD_DEFAULTS],
  helm: [{ enabled: true }],
  networkPolicy: [NETWORK_POLICY_DEFAULTS],
  nodeExporter: [NODE_EXPORTER_DEFAULTS, NODE_EXPORTER_PROFILES],
  kubeStateMetrics: [KUBE_STATE_METRICS_DEFAULTS, KUBE_STATE_METRICS_PROFILES],
  kubernetes: [KUBERNETES_TARGETS_DEFAULTS, KUBERNETES_TARGETS_PROFILES],
  alertmanager: [ALERTMANAGER_DEFAULTS, ALERTMANAGER_PROFILES],
  otlpGateway: [OTLP_GATEWAY_DEFAULTS, OTLP_GATEWAY_PROFILES],
};

/** The base configuration every profile starts from. */
export const BASE: StackConfig = Object.fromEntries(Object.entries(SECTIONS).map(([k, [defaults]]) => [k, defaults])) as unknown as StackConfig;

function profileOf(name: ProfileName): StackOverrides {
  const out: Record<string, unknown> = {};
  for (const [k, [, changes]] of Object.entries(SECTIONS)) {
    const change = (changes as ProfileChanges<unknown> | undefined)?.[name];
    if (change !== undefined) out[k] = change;
  }
  return out as StackOverrides;
}

/**
 * What each profile changes on top of `BASE` (each section's own file says what and why).
 * - dev: a laptop cluster (kind, k3d): small requests, short retention, emptyDir data, example services on,
 *   Grafana's first-login admin allowed.
 * - prod: persistent volumes, longer retention, larger resources, an admin Secret required.
 * - large: prod grown past one node: Loki and Tempo on S3-compatible object storage (bucket names, endpoint
 *   and credentials Secret are placeholders to edit), Loki simple-scalable (3 write / 2 read / 2 backend),
 *   Tempo as one replica on object storage, Prometheus remote-writing to a long-term store, Alloy.
 */
export const PROFILES: Readonly<Record<ProfileName, StackOverrides>> = Object.fromEntries(PROFILE_NAMES.map((p) => [p, profileOf(p)])) as Record<ProfileName, StackOverrides>;
