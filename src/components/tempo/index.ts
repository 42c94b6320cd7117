/** Tempo as a stack component: receives traces from any workload, writes span metrics to the metrics store. */
import { type StackComponent, configSection } from '../component';
import { objectStoreEndpoint } from '../../lib/external';
import { objectStorageSecretNeeds } from '../../lib/object-storage';
import { metricsSeriesBudget } from '../../lib/series-budget';
import { tempoOwnTelemetry } from './readme';
import { tempoCapacity, tempoSizing } from './sizing';
import { SERVICE_GRAPH_SOURCE, SPAN_METRICS_SOURCE, TEMPO_OWN_METRICS } from './metrics';
import { Tempo, generatorRemoteWriteUrl, tempoReceiverEndpoints, tempoScrapeTarget } from './tempo';
import { tempoAlerts, tempoHealth } from './health';
import { tempoHelm } from './helm';
import { tempoDatasources } from './datasource';
import { TEMPO_DATASOURCE, TEMPO_ENDPOINTS, TEMPO_NAMES } from './endpoints';
import { TEMPO_DEFAULTS, TEMPO_PLACEHOLDERS, TEMPO_PROFILES, tempoSchema } from './config';

export const tempo: StackComponent<'tempo'> = {
  id: 'tempo',
  enabled: (cfg) => cfg.tempo.enabled,
  datasources: { identities: [TEMPO_DATASOURCE], contribute: tempoDatasources },
  metricSources: [TEMPO_OWN_METRICS, SPAN_METRICS_SOURCE, SERVICE_GRAPH_SOURCE],
  pods: (cfg) => cfg.tempo.pods,
  externalEndpoints: (cfg) => objectStoreEndpoint('tempo-object-storage', 'tempo', cfg.tempo.objectStorage, `Tempo stores trace blocks in ${cfg.tempo.objectStorage.type}`),
  userSecrets: (cfg) => (cfg.tempo.enabled ? objectStorageSecretNeeds('Tempo', cfg.tempo.objectStorage, cfg.common.namespace) : []),
  receivers: ({ tempo: { receivers: r } }, { tempo: eps }) => ({
    ...(r.otlpGrpc ? {
      'traces-otlp-grpc': { endpoint: eps.otlpGrpc, target: (w) => w.address, name: 'OTLP/gRPC', note: 'Traces to Tempo (OTLP/gRPC, plaintext inside the cluster).' },
    } : {}),
    ...(r.otlpHttp ? {
      'traces-otlp-http': { endpoint: eps.otlpHttp, target: (w) => w.url, name: 'OTLP/HTTP', note: `Traces to Tempo (OTLP/HTTP${r.otlpGrpc ? '' : '; its gRPC receiver is off'}).` },
    } : {}),
  }),
  sends: (cfg) => (cfg.tempo.metricsGenerator ? ['metrics-remote-write'] : []),
  readme: { retention: (cfg) => cfg.tempo.retention, ephemeralData: (cfg) => !cfg.tempo.storage.persistent, capacity: tempoCapacity, ownTelemetry: tempoOwnTelemetry },
  scrapeTargets: ({ endpoints }, scrape) => [tempoScrapeTarget(scrape(endpoints.tempo.http))],
  stackHealth: ({ cfg }) => tempoHealth(cfg),
  ruleGroups: ({ cfg, jobs }) => tempoAlerts(cfg, jobs),
  build: ({ scope, cfg, labeler, endpoints, wire }) => {
    const remoteWriteUrl = cfg.tempo.metricsGenerator ? generatorRemoteWriteUrl(cfg, endpoints, wire) : undefined;
    if (endpoints.tempo.memberlist !== undefined) {
      wire('tempo', endpoints.tempo.memberlist, 'gossip', 'joins the memberlist rings');
      wire('tempo', endpoints.tempo.grpc, 'grpc', 'forwards spans to the ingesters and generators, queries the ingesters');
    }
    for (const receiver of tempoReceiverEndpoints(cfg.tempo, endpoints.tempo)) {
      wire('cluster-workloads', receiver, 'otlp', `send traces (${receiver.portName})`);
    }
    return new Tempo(scope, 'tempo', {
      config: cfg.tempo, common: cfg.common, image: cfg.tempo.image, labeler, endpoints: endpoints.tempo,
      clusterName: cfg.common.clusterName, remoteWriteUrl, sizing: tempoSizing(cfg.tempo, metricsSeriesBudget(cfg)),
    });
  },
  // What the Helm chart cannot express, each with the template that decides it (the pinned chart version).
  helmChartLimits: [
    {
      chart: 'tempo', fact: 'pod terminationGracePeriodSeconds',
      reason: 'templates/statefulset.yaml has no grace period value: Kubernetes\' 30 s instead of the manifests\' time to flush the WAL on shutdown.',
    },
    { chart: 'tempo', fact: 'startupProbe', reason: 'templates/statefulset.yaml has no startup probe value; the liveness probe waits instead (its line above).' },
    {
      chart: 'tempo', fact: 'livenessProbe',
      reason: 'Without a startup probe, liveness waits out the manifests\' whole start-up allowance (`initialDelaySeconds` = their startup probe\'s failureThreshold x period) so a long WAL replay is not killed half-way.',
    },
  ],
  helm: tempoHelm,
};

/** What the registry assembles from this folder. */
export const registration = {
  component: tempo,
  config: { tempo: configSection(tempoSchema, TEMPO_DEFAULTS, TEMPO_PROFILES, TEMPO_PLACEHOLDERS) },
  endpoints: TEMPO_ENDPOINTS,
  names: TEMPO_NAMES,
} as const;
