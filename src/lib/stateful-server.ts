/**
 * The shape the stateful components share: a StatefulSet whose pods keep their data in a volume named
 * `data`, and the pod of a Grafana Labs store that may keep its blocks in object storage (the log and trace
 * stores: same flags, same credential wiring, same mounts).
 */
import type { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import type { CommonConfig, ImageSpec, ObjectStorageSpec, ResourceSpec, StorageSpec } from '../config/types';
import type { Endpoint } from './endpoints';
import {
  DATA_VOLUME,
  RESTRICTED_CONTAINER_SECURITY, commonPodSpec, containerPort, dataStorage, goMemLimitEnv,
  imageRef, meta, resources, restrictedPodSecurity, spreadReplicas,
} from './kube';
import { needsEnvExpansion, objectStorageCredentials, workloadIdentityPodLabels } from './object-storage';

export interface DataStatefulSetProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly replicas: number;
  /** The Service that governs the pods' DNS names. */
  readonly serviceName: string;
  readonly storage: StorageSpec;
  readonly common: CommonConfig;
  /** The pod template, given the volumes the data storage adds to the pod (the `data` emptyDir when not persistent). */
  readonly template: (dataVolumes: k8s.Volume[]) => k8s.PodTemplateSpec;
}

/**
 * A StatefulSet whose pods keep their data in a volume named `data`: a volumeClaimTemplate when the storage
 * is persistent (kept when the StatefulSet is deleted or scaled down), a size-capped emptyDir otherwise.
 */
export function dataStatefulSet(scope: Construct, id: string, p: DataStatefulSetProps): k8s.KubeStatefulSet {
  // Claim templates are immutable: label them with the (stable) selector labels only.
  const storage = dataStorage(DATA_VOLUME, p.storage, p.common, p.selector);
  return new k8s.KubeStatefulSet(scope, id, {
    metadata: meta(p.name, p.namespace, p.labels),
    spec: {
      replicas: p.replicas,
      serviceName: p.serviceName,
      selector: { matchLabels: p.selector },
      // Replicas of a ring start together; one at a time would only slow the first rollout.
      podManagementPolicy: p.replicas > 1 ? 'Parallel' : 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: p.template(storage.volumes),
      volumeClaimTemplates: storage.volumeClaimTemplates,
    },
  });
}

/** Where a store keeps its files inside the container. */
export interface StorePaths {
  readonly configDir: string;
  readonly configFile: string;
  readonly dataDir: string;
  readonly tmpDir: string;
}

export interface ObjectStorePodProps {
  /** The container's name. */
  readonly name: string;
  readonly image: ImageSpec;
  readonly common: CommonConfig;
  /** The uid/gid the upstream image runs as. */
  readonly uid: number;
  readonly paths: StorePaths;
  readonly configMapName: string;
  readonly serviceAccountName: string;
  readonly objectStorage: ObjectStorageSpec;
  readonly labels: Record<string, string>;
  /** The selector the replicas are spread by. */
  readonly selector: Record<string, string>;
  readonly replicas: number;
  readonly resources: ResourceSpec;
  /** Arguments after `-config.file`. @default - none */
  readonly args?: readonly string[];
  /** The endpoints the container serves, as its ports in this order. */
  readonly ports: readonly Endpoint[];
  readonly terminationGracePeriodSeconds: number;
  readonly probes: Required<Pick<k8s.Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'>>;
  /**
   * The pod's volumes between the config and the credential volumes: `data` (unless a claim template
   * provides it) and `tmp` (a scratch volume), which the container mounts at `dataDir` and `tmpDir`.
   */
  readonly volumes: readonly k8s.Volume[];
}

/**
 * The pod of a Grafana Labs store: restricted, spread over nodes when replicated, rolled
 * on config changes, with object-store credentials from the user's Secret or workload identity.
 */
export function objectStorePodTemplate(p: ObjectStorePodProps): k8s.PodTemplateSpec {
  const creds = objectStorageCredentials(p.objectStorage);
  return {
    metadata: { labels: { ...p.labels, ...workloadIdentityPodLabels(p.objectStorage) } },
    spec: {
      ...commonPodSpec(p.common, { serviceAccountName: p.serviceAccountName }),
      securityContext: restrictedPodSecurity(p.uid),
      ...spreadReplicas(p.replicas, p.selector),
      terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
      containers: [{
        name: p.name,
        image: imageRef(p.image, p.common),
        imagePullPolicy: 'IfNotPresent',
        args: [
          `-config.file=${p.paths.configDir}/${p.paths.configFile}`,
          ...(p.args ?? []),
          // Object-store credentials are ${VAR} references in the config, filled from Secret-backed env.
          ...(needsEnvExpansion(p.objectStorage) ? ['-config.expand-env=true'] : []),
        ],
        env: [goMemLimitEnv(p.resources), ...creds.env],
        ports: p.ports.map(containerPort),
        resources: resources(p.resources),
        securityContext: RESTRICTED_CONTAINER_SECURITY,
        ...p.probes,
        volumeMounts: [
          { name: 'config', mountPath: p.paths.configDir, readOnly: true },
          { name: DATA_VOLUME, mountPath: p.paths.dataDir },
          { name: 'tmp', mountPath: p.paths.tmpDir },
          ...creds.mounts,
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: p.configMapName } },
        ...p.volumes,
        ...creds.volumes,
      ],
    },
  };
}
