/**
 * Tempo: the trace store, one process running every module, in a StatefulSet with the WAL and the
 * metrics-generator's data on one volume, and only the receivers the config enables.
 * - One replica: monolithic (`-target=all`); blocks on the volume (local backend) or in object storage.
 * - More replicas: Tempo's scalable single binary (`-target=scalable-single-binary`, Tempo 2.10 still ships
 *   it): each pod runs every module, the rings meet over memberlist through a headless Service, blocks live
 *   in object storage (required: a local backend per pod would split the traces). The upstream Helm charts
 *   only offer monolithic (one replica) or fully distributed; this is the step between them.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { TempoSizing } from './sizing';
import type { CommonConfig, ImageSpec, StackConfig, TempoConfig } from '../../config/types';
import type { Endpoints } from '../registry';
import { stackReceiver } from '../../lib/receivers';
import type { WiredEndpoint } from '../../lib/wiring';
import type { Endpoint } from '../../lib/endpoints';
import type { Labeler } from '../../lib/labels';
import { headlessServiceProps, httpProbe, meta, scratchVolume, serviceProps, startupProbe, serviceAccount } from '../../lib/kube';
import { serviceAccountAnnotations } from '../../lib/object-storage';
import { dataStatefulSet, objectStorePodTemplate } from '../../lib/stateful-server';
import { toYaml } from '../../lib/yaml';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import type { TempoEndpoints } from './endpoints';
import { type TempoReceiverPorts, renderTempoConfig } from './tempo-config';

export const TEMPO_IDENTITY = { name: 'tempo', component: 'trace-store' } as const;

/** Paths inside the Tempo container. */
export const TEMPO_PATHS = {
  configDir: '/etc/tempo',
  configFile: 'tempo.yaml',
  // The image's own data directory (owned by uid 10001); the data volume is mounted over it.
  dataDir: '/var/tempo',
  tmpDir: '/tmp',
} as const;

/** The uid/gid the upstream image runs as (`tempo`). */
const TEMPO_UID = 10001;

/** How long a start may take (WAL replay after a crash or an upgrade) before liveness takes over. */
const TEMPO_MAX_STARTUP_SECONDS = 600;

/** Endpoints of the receivers the config enables, in a fixed order (OTLP first). */
export function tempoReceiverEndpoints(config: TempoConfig, eps: TempoEndpoints): Endpoint[] {
  const r = config.receivers;
  return [
    ...(r.otlpGrpc ? [eps.otlpGrpc] : []),
    ...(r.otlpHttp ? [eps.otlpHttp] : []),
    ...(r.jaeger ? [eps.jaegerGrpc, eps.jaegerThriftHttp] : []),
    ...(r.zipkin ? [eps.zipkin] : []),
  ];
}

/** Receiver ports for the config renderer: only enabled receivers appear. */
export function tempoReceiverPorts(config: TempoConfig, eps: TempoEndpoints): TempoReceiverPorts {
  const r = config.receivers;
  return {
    ...(r.otlpGrpc ? { otlpGrpc: eps.otlpGrpc.port } : {}),
    ...(r.otlpHttp ? { otlpHttp: eps.otlpHttp.port } : {}),
    ...(r.jaeger ? { jaegerGrpc: eps.jaegerGrpc.port, jaegerThriftHttp: eps.jaegerThriftHttp.port } : {}),
    ...(r.zipkin ? { zipkin: eps.zipkin.port } : {}),
  };
}

/**
 * Where the metrics-generator remote-writes: the metrics store's remote-write receiver (`src/lib/receivers.ts`),
 * wired from Tempo. Both paths call it with their endpoints and their wire log.
 */
export function generatorRemoteWriteUrl(cfg: StackConfig, endpoints: Endpoints, wire: (from: 'tempo', to: Endpoint, kind: 'remote-write', purpose: string) => WiredEndpoint): string {
  const receiver = stackReceiver('metrics-remote-write', cfg, endpoints);
  if (receiver === undefined) throw new Error('internal: tempo.metricsGenerator is on, but no enabled component receives remote write');
  return receiver.target(wire('tempo', receiver.endpoint, 'remote-write', 'writes span metrics and the service graph'));
}

/** Tempo's own metrics, on its HTTP port. */
export function tempoScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return componentScrapeTarget(TEMPO_IDENTITY.name, 'Tempo', endpoint);
}

export interface TempoProps {
  readonly config: TempoConfig;
  readonly common: CommonConfig;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  readonly endpoints: TempoEndpoints;
  /** Value of the `cluster` label on generated metrics. */
  readonly clusterName: string;
  /** The metrics store's remote-write URL; required when `config.metricsGenerator` is on. */
  readonly remoteWriteUrl?: string;
  /** Limits sized on Tempo's memory and the metrics store's series budget (`tempoSizing`). */
  readonly sizing: TempoSizing;
}

export class Tempo extends Chart {
  /** The rendered `tempo.yaml`. */
  readonly configYaml: string;

  constructor(scope: Construct, id: string, props: TempoProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, endpoints, labeler } = props;
    const http = endpoints.http;
    const ns = http.namespace;
    const name = TEMPO_IDENTITY.name;
    const labels = labeler.labels({ ...TEMPO_IDENTITY, version: props.image.tag });
    const selector = labeler.selector(name);

    if (config.metricsGenerator && props.remoteWriteUrl === undefined) {
      throw new Error('Tempo: metricsGenerator is on but no remoteWriteUrl was given');
    }
    const memberlist = config.replicas > 1 ? endpoints.memberlist : undefined;
    if (config.replicas > 1 && memberlist === undefined) throw new Error('Tempo: more than one replica needs the memberlist endpoint');
    const tempoConfig = renderTempoConfig({
      objectStorage: config.objectStorage,
      scalable: memberlist && { replicationFactor: config.replicationFactor, memberlistJoin: memberlist.address, memberlistPort: memberlist.port },
      httpPort: http.port,
      grpcPort: endpoints.grpc.port,
      receivers: tempoReceiverPorts(config, endpoints),
      retention: config.retention,
      dataDir: TEMPO_PATHS.dataDir,
      sizing: props.sizing,
      metricsGenerator: config.metricsGenerator && props.remoteWriteUrl !== undefined
        ? { remoteWriteUrl: props.remoteWriteUrl, clusterName: props.clusterName }
        : undefined,
    });
    this.configYaml = toYaml(tempoConfig);

    // With several replicas the pods reach each other's gRPC port (distributor -> ingesters and generators,
    // querier -> ingesters) by ring address; the Service lists it so the port is declared and wired.
    const exposed = [http, ...(config.replicas > 1 ? [endpoints.grpc] : []), ...tempoReceiverEndpoints(config, endpoints)];

    const sa = serviceAccount(this, name, ns, labels, serviceAccountAnnotations(config.objectStorage));
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: meta(name, ns, labels),
      data: { [TEMPO_PATHS.configFile]: this.configYaml },
    });
    new k8s.KubeService(this, 'Service', serviceProps(exposed, labels, selector));
    if (memberlist !== undefined) {
      // Ring members must find each other before they are ready, so not-ready pods are published too.
      new k8s.KubeService(this, 'MemberlistService', headlessServiceProps([memberlist], labels, selector, { publishNotReadyAddresses: true }));
    }

    dataStatefulSet(this, 'StatefulSet', {
      name, namespace: ns, labels, selector, replicas: config.replicas, serviceName: http.service, storage: config.storage, common,
      template: (dataVolumes) => objectStorePodTemplate({
        name,
        image: props.image,
        common,
        uid: TEMPO_UID,
        paths: TEMPO_PATHS,
        configMapName: configMap.name,
        serviceAccountName: sa.name,
        objectStorage: config.objectStorage,
        labels,
        selector,
        replicas: config.replicas,
        resources: config.resources,
        ports: [...exposed, ...(memberlist ? [memberlist] : [])],
        // Time for the generator's last remote write and a clean WAL close.
        terminationGracePeriodSeconds: 90,
        probes: {
          startupProbe: startupProbe('/ready', http.portName, TEMPO_MAX_STARTUP_SECONDS),
          // /ready waits for the ingester and generator to join their rings and the query path to attach.
          readinessProbe: httpProbe('/ready', http.portName, { periodSeconds: 10, failureThreshold: 3 }),
          // Liveness asks only whether the HTTP server answers: /ready would restart a pod whose ring is
          // briefly unhealthy. A module that fails stops the process anyway.
          livenessProbe: httpProbe('/status/version', http.portName, { periodSeconds: 15, failureThreshold: 4 }),
        },
        volumes: [...dataVolumes, scratchVolume('tmp')],
      }),
    });
  }
}
