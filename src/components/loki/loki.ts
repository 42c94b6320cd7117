/**
 * Loki: the log store. Two modes, one configuration renderer (`loki-config.ts`), the same schema, retention
 * and structured metadata in both:
 * - monolithic (`-target=all`): one replica in a StatefulSet, TSDB index and chunks on its data volume or
 *   in object storage;
 * - simple-scalable (the upstream chart's recommendation below a few TB/day): `write` (distributor and
 *   ingester; StatefulSet, WAL on a volume), `read` (query frontend and querier; stateless Deployment) and
 *   `backend` (compactor, index gateway, query scheduler, ruler; StatefulSet) joined by memberlist through
 *   a headless Service, object storage shared by all.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig, ImageSpec, LokiConfig, ResourceSpec } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import type { LokiScalableEndpoints } from './endpoints';
import type { Labeler } from '../../lib/labels';
import { DATA_VOLUME, headlessServiceProps, httpProbe, meta, scratchVolume, serviceProps, startupProbe, serviceAccount } from '../../lib/kube';
import { serviceAccountAnnotations } from '../../lib/object-storage';
import { dataStatefulSet, objectStorePodTemplate } from '../../lib/stateful-server';
import { toYaml } from '../../lib/yaml';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import { lokiScalableAddresses, renderLokiConfig } from './loki-config';

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
  /** Monolithic: the `loki` Service; simple-scalable: the read Service. */
  readonly http: Endpoint;
  readonly grpc: Endpoint;
  /** Simple-scalable: the write, backend and memberlist Services (required when `config.mode` is simple-scalable). */
  readonly scalable?: LokiScalableEndpoints;
}

/** The targets of simple-scalable mode, as `-target=` values and `app.kubernetes.io/component` labels. */
export const LOKI_TARGETS = ['write', 'read', 'backend'] as const;
export type LokiTarget = (typeof LOKI_TARGETS)[number];

/** Loki's scrape target for the scraper. */
export function lokiScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return componentScrapeTarget(LOKI_IDENTITY.name, 'Loki', endpoint);
}

export class Loki extends Chart {
  /** The rendered `loki.yaml`. */
  readonly configYaml: string;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, http, grpc, labeler } = props;
    const ns = http.namespace;
    const name = LOKI_IDENTITY.name;
    const labels = labeler.labels({ ...LOKI_IDENTITY, version: props.image.tag });
    const scalable = config.mode === 'simple-scalable' ? props.scalable : undefined;
    if (config.mode === 'simple-scalable' && scalable === undefined) throw new Error('Loki: simple-scalable mode needs the scalable endpoints');

    this.configYaml = toYaml(renderLokiConfig({
      config, httpPort: http.port, grpcPort: grpc.port, dataDir: LOKI_PATHS.dataDir,
      scalable: scalable && lokiScalableAddresses(scalable),
    }));

    const sa = serviceAccount(this, name, ns, labels, serviceAccountAnnotations(config.objectStorage));
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: meta(name, ns, labels),
      data: { [LOKI_PATHS.configFile]: this.configYaml },
    });
    const pods = new LokiPods(props, sa.name!, configMap.name!);

    if (scalable === undefined) {
      const selector = labeler.selector(name);
      new k8s.KubeService(this, 'Service', serviceProps([http, grpc], labels, selector));
      pods.statefulSet(this, 'StatefulSet', { workloadName: name, target: 'all', replicas: 1, labels, selector, serviceName: http.service, resources: config.resources });
      return;
    }

    // Simple-scalable: each target has its own selector (name + component), the memberlist Service selects all.
    const allSelector = labeler.selector(name);
    const targetLabels = (t: LokiTarget) => labeler.labels({ name, component: t, version: props.image.tag });
    const targetSelector = (t: LokiTarget) => ({ ...allSelector, 'app.kubernetes.io/component': t });

    // Ring members must find each other before they are ready (an ingester only turns ready once it sees
    // its ring), so not-ready pods are published too.
    new k8s.KubeService(this, 'MemberlistService', headlessServiceProps([scalable.memberlist], labels, allSelector, { publishNotReadyAddresses: true }));
    new k8s.KubeService(this, 'WriteService', serviceProps([scalable.push, scalable.writeGrpc], targetLabels('write'), targetSelector('write')));
    new k8s.KubeService(this, 'ReadService', serviceProps([http, grpc], targetLabels('read'), targetSelector('read')));
    new k8s.KubeService(this, 'BackendService', serviceProps([scalable.backendHttp, scalable.backendGrpc], targetLabels('backend'), targetSelector('backend')));
    new k8s.KubeService(this, 'BackendHeadlessService', headlessServiceProps([scalable.backendHeadlessGrpc], targetLabels('backend'), targetSelector('backend')));

    pods.statefulSet(this, 'WriteStatefulSet', {
      workloadName: scalable.push.service, target: 'write', replicas: config.write.replicas,
      labels: targetLabels('write'), selector: targetSelector('write'), serviceName: scalable.push.service, resources: config.write.resources,
    });
    pods.readDeployment(this, 'ReadDeployment', {
      workloadName: http.service, target: 'read', replicas: config.read.replicas,
      labels: targetLabels('read'), selector: targetSelector('read'), serviceName: http.service, resources: config.read.resources,
    });
    pods.statefulSet(this, 'BackendStatefulSet', {
      workloadName: scalable.backendHttp.service, target: 'backend', replicas: config.backend.replicas,
      labels: targetLabels('backend'), selector: targetSelector('backend'), serviceName: scalable.backendHeadlessGrpc.service, resources: config.backend.resources,
    });
  }
}

interface LokiWorkload {
  readonly workloadName: string;
  readonly target: LokiTarget | 'all';
  readonly replicas: number;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly serviceName: string;
  readonly resources: ResourceSpec;
}

/** Builds the pod templates and workloads of every Loki target from the same parts. */
class LokiPods {
  constructor(
    private readonly props: LokiProps,
    private readonly serviceAccountName: string,
    private readonly configMapName: string,
  ) {}

  private podTemplate(w: LokiWorkload, dataVolumes: k8s.Volume[]): k8s.PodTemplateSpec {
    const { config, common, http, grpc } = this.props;
    const scalable = this.props.scalable;
    return objectStorePodTemplate({
      name: 'loki',
      image: this.props.image,
      common,
      uid: LOKI_UID,
      paths: LOKI_PATHS,
      configMapName: this.configMapName,
      serviceAccountName: this.serviceAccountName,
      objectStorage: config.objectStorage,
      labels: w.labels,
      selector: w.selector,
      replicas: w.replicas,
      resources: w.resources,
      args: [`-target=${w.target}`],
      ports: [http, grpc, ...(w.target !== 'all' && scalable ? [scalable.memberlist] : [])],
      // Time to flush in-memory chunks on shutdown (ingester.wal.flush_on_shutdown); reads stop quickly.
      terminationGracePeriodSeconds: w.target === 'read' ? 30 : 120,
      probes: {
        // WAL replay after an unclean stop can take minutes on a full volume.
        startupProbe: startupProbe('/ready', http.portName, 600),
        // /ready turns 200 about 15 s after the ingester joined its ring (ingester.min_ready_duration).
        readinessProbe: httpProbe('/ready', http.portName, { periodSeconds: 10, failureThreshold: 3 }),
        // Liveness on /ready would restart a Loki that is merely busy; the metrics page answers while the process is healthy.
        livenessProbe: httpProbe('/metrics', http.portName, { periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 5 }),
      },
      volumes: [scratchVolume('tmp'), ...dataVolumes],
    });
  }

  /** Monolithic, write and backend: a StatefulSet with the data volume (WAL, compactor working directory). */
  statefulSet(scope: Construct, id: string, w: LokiWorkload): k8s.KubeStatefulSet {
    const { config, common, http } = this.props;
    return dataStatefulSet(scope, id, {
      name: w.workloadName, namespace: http.namespace, labels: w.labels, selector: w.selector, replicas: w.replicas,
      serviceName: w.serviceName, storage: config.storage, common,
      template: (dataVolumes) => this.podTemplate(w, dataVolumes),
    });
  }

  /** Read: stateless (queries read object storage and the ingesters), so a Deployment with a scratch data directory. */
  readDeployment(scope: Construct, id: string, w: LokiWorkload): k8s.KubeDeployment {
    return new k8s.KubeDeployment(scope, id, {
      metadata: meta(w.workloadName, this.props.http.namespace, w.labels),
      spec: {
        replicas: w.replicas,
        selector: { matchLabels: w.selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1), maxSurge: k8s.IntOrString.fromNumber(0) } },
        template: this.podTemplate(w, [scratchVolume(DATA_VOLUME, '2Gi')]),
      },
    });
  }
}
