/**
 * Loki: the log store, monolithic (`-target=all`), one replica in a StatefulSet, TSDB index and chunks
 * on the filesystem of its data volume. Configuration from `loki-config.ts`.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig, ImageSpec, LokiConfig } from '../../config/types';
import { goMemLimit, parseQuantity } from '../../config/units';
import type { Endpoint } from '../../lib/endpoints';
import type { Labeler } from '../../lib/labels';
import {
  CONFIG_CHECKSUM_ANNOTATION, RESTRICTED_CONTAINER_SECURITY, commonPodSpec, configChecksum, containerPort, dataStorage,
  httpProbe, imageRef, meta, resources, restrictedPodSecurity, scratchVolume, serviceProps, startupProbe,
} from '../../lib/kube';
import { toYaml } from '../../lib/yaml';
import type { ComponentScrapeTarget } from '../prometheus/prometheus-config';
import { renderLokiConfig } from './loki-config';

export const LOKI_IDENTITY = { name: 'loki', component: 'log-store' } as const;

/** Paths inside the Loki container. */
export const LOKI_PATHS = {
  configDir: '/etc/loki',
  configFile: 'loki.yaml',
  dataDir: '/var/loki',
  tmpDir: '/tmp',
} as const;

/** The uid/gid the upstream image runs as (`loki`). */
const LOKI_UID = 10001;

export interface LokiProps {
  readonly config: LokiConfig;
  readonly common: CommonConfig;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  readonly http: Endpoint;
  readonly grpc: Endpoint;
}

/** Loki's scrape target for Prometheus. */
export function lokiScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return { job: 'loki', namespace: endpoint.namespace, appName: LOKI_IDENTITY.name, portName: endpoint.portName, metricsPath: '/metrics' };
}

export class Loki extends Chart {
  /** The rendered `loki.yaml`. */
  readonly configYaml: string;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, http, grpc, labeler } = props;
    const ns = http.namespace;
    const name = LOKI_IDENTITY.name;
    const labels = labeler.labels({ ...LOKI_IDENTITY, version: props.image.tag });
    const selector = labeler.selector(name);

    this.configYaml = toYaml(renderLokiConfig({ config, httpPort: http.port, grpcPort: grpc.port, dataDir: LOKI_PATHS.dataDir }));

    const sa = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: meta(name, ns, labels),
      automountServiceAccountToken: false,
    });
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: meta(name, ns, labels),
      data: { [LOKI_PATHS.configFile]: this.configYaml },
    });
    new k8s.KubeService(this, 'Service', serviceProps([http, grpc], labels, selector));

    const storage = dataStorage('data', config.storage, common, selector);
    const memoryLimit = parseQuantity(config.resources.limits.memory) ?? 0;

    new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: meta(name, ns, labels),
      spec: {
        replicas: 1,
        serviceName: http.service,
        selector: { matchLabels: selector },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels, annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(this.configYaml) } },
          spec: {
            ...commonPodSpec(common, { serviceAccountName: sa.name }),
            securityContext: restrictedPodSecurity(LOKI_UID),
            // Time to flush in-memory chunks on shutdown (ingester.wal.flush_on_shutdown).
            terminationGracePeriodSeconds: 120,
            containers: [{
              name,
              image: imageRef(props.image, common),
              imagePullPolicy: 'IfNotPresent',
              args: [
                `-config.file=${LOKI_PATHS.configDir}/${LOKI_PATHS.configFile}`,
                '-target=all',
              ],
              // Go's garbage collector keeps the heap under this before the kernel's OOM killer steps in.
              env: [{ name: 'GOMEMLIMIT', value: goMemLimit(memoryLimit) }],
              ports: [containerPort(http), containerPort(grpc)],
              resources: resources(config.resources),
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              // WAL replay after an unclean stop can take minutes on a full volume.
              startupProbe: startupProbe('/ready', http.portName, 600),
              // /ready turns 200 about 15 s after the ingester joined its ring (ingester.min_ready_duration).
              readinessProbe: httpProbe('/ready', http.portName, { periodSeconds: 10, failureThreshold: 3 }),
              // Liveness on /ready would restart a Loki that is merely busy; the metrics page answers while the process is healthy.
              livenessProbe: httpProbe('/metrics', http.portName, { periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 5 }),
              volumeMounts: [
                { name: 'config', mountPath: LOKI_PATHS.configDir, readOnly: true },
                { name: 'data', mountPath: LOKI_PATHS.dataDir },
                { name: 'tmp', mountPath: LOKI_PATHS.tmpDir },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: configMap.name } },
              scratchVolume('tmp'),
              ...storage.volumes,
            ],
          },
        },
        volumeClaimTemplates: storage.volumeClaimTemplates,
      },
    });
  }
}
