/** Loki as a stack component: monolithic, or simple-scalable targets joined by memberlist. */
import { type StackComponent, configSection } from '../component';
import { objectStoreEndpoint } from '../../lib/external';
import { objectStorageSecretNeeds } from '../../lib/object-storage';
import { lokiCapacity } from './sizing';
import { LOKI_METRICS } from './metrics';
import { Loki, lokiScrapeTarget } from './loki';
import { lokiAlerts, lokiHealth } from './health';
import { lokiHelm } from './helm';
import { lokiDatasources } from './datasource';
import { LOKI_DATASOURCE, LOKI_ENDPOINTS, LOKI_NAMES, lokiOtlpUrl, lokiPushEndpoint, lokiPushUrl, lokiTenantHeaders } from './endpoints';
import { LOKI_DEFAULTS, LOKI_PLACEHOLDERS, LOKI_PROFILES, lokiSchema } from './config';

export const loki: StackComponent<'loki'> = {
  id: 'loki',
  enabled: (cfg) => cfg.loki.enabled,
  datasources: { identities: [LOKI_DATASOURCE], contribute: lokiDatasources },
  metricSources: [LOKI_METRICS],
  pods: (cfg) => cfg.loki.pods,
  externalEndpoints: (cfg) => objectStoreEndpoint('loki-object-storage', 'loki', cfg.loki.objectStorage, `Loki stores chunks and index in ${cfg.loki.objectStorage.type}`),
  userSecrets: (cfg) => (cfg.loki.enabled ? objectStorageSecretNeeds('Loki', cfg.loki.objectStorage, cfg.common.namespace) : []),
  receivers: (cfg, endpoints) => ({
    'logs-otlp': {
      endpoint: lokiPushEndpoint(endpoints), target: lokiOtlpUrl, name: 'Loki OTLP endpoint', headers: lokiTenantHeaders(cfg.loki.tenant),
      note: 'Logs to Loki\'s OTLP endpoint (limits_config.otlp_config makes the mapped attributes stream labels).',
    },
    'logs-push': {
      endpoint: lokiPushEndpoint(endpoints), target: lokiPushUrl, name: 'Loki push API', headers: lokiTenantHeaders(cfg.loki.tenant),
      note: 'Log streams to Loki\'s push API, each with its labels.',
    },
  }),
  readme: { retention: (cfg) => cfg.loki.retention, ephemeralData: (cfg) => !cfg.loki.storage.persistent, capacity: lokiCapacity },
  scrapeTargets: ({ endpoints }, scrape) => [lokiScrapeTarget(scrape(endpoints.loki.http))],
  stackHealth: ({ cfg }) => lokiHealth(cfg),
  ruleGroups: ({ cfg, jobs }) => lokiAlerts(cfg, jobs),
  build: ({ scope, cfg, labeler, endpoints, wire }) => {
    const scalable = endpoints.loki.scalable;
    if (scalable !== undefined) {
      // The targets talk to each other (the policies select every Loki pod for these).
      wire('loki', scalable.memberlist, 'gossip', 'joins the memberlist rings');
      wire('loki', scalable.writeGrpc, 'grpc', 'pushes to and queries the ingesters (write)');
      wire('loki', scalable.backendGrpc, 'grpc', 'reaches the compactor and query schedulers (backend)');
      wire('loki', scalable.backendHeadlessGrpc, 'grpc', 'queries the index gateways (backend)');
      wire('loki', scalable.query, 'http', 'proxies tail requests to the queriers (read)');
    }
    return new Loki(scope, 'loki', {
      config: cfg.loki, common: cfg.common, image: cfg.loki.image, labeler, http: endpoints.loki.http, grpc: endpoints.loki.grpc, scalable,
    });
  },
  // What the Helm chart cannot express, each with the template that decides it (the pinned chart version).
  helmChartLimits: [
    { chart: 'loki', fact: 'emptyDir volumes', reason: 'templates/_pod.tpl mounts /tmp as `emptyDir: {}`, with no value for its size.' },
  ],
  helm: lokiHelm,
};

/** What the registry assembles from this folder. */
export const registration = {
  component: loki,
  config: { loki: configSection(lokiSchema, LOKI_DEFAULTS, LOKI_PROFILES, LOKI_PLACEHOLDERS) },
  endpoints: LOKI_ENDPOINTS,
  names: LOKI_NAMES,
} as const;
