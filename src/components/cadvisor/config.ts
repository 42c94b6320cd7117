/**
 * cAdvisor's config slice: the schema (type and runtime check in one), its defaults, and what each
 * profile changes.
 */
import * as z from 'zod';
import { flag, goDuration, image, listenPorts, obj, resourcesSchema, text, type ProfileChanges } from '../../config/fields';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

export const cadvisorSchema = obj({
  enabled: flag(),
  /** The cAdvisor image, pinned. */
  image: image({ repository: 'ghcr.io/google/cadvisor', tag: 'v0.60.5' }, { registryHost: true }),
  /** Listen port (`--port`). */
  ports: listenPorts('cadvisor', { http: 8080 }),
  resources: resourcesSchema,
  /** `--housekeeping_interval` (a Go duration: cAdvisor's flags have no `d` unit): how often container stats are collected. */
  housekeepingInterval: goDuration('10s'),
  /**
   * containerd's socket on the node: `/run/containerd/containerd.sock` on kind, kubeadm and most managed
   * clusters; `/run/k3s/containerd/containerd.sock` on k3s.
   */
  containerdSocket: text(['is not a socket path under /run or /var/run', 'use e.g. "/run/containerd/containerd.sock" (k3s: "/run/k3s/containerd/containerd.sock")'],
    (v) => (/^\/(run|var\/run)\/[!-~]+\.sock$/.test(v) && !v.split('/').includes('..') ? undefined
      : ['is not a socket path under /run or /var/run', 'use e.g. "/run/containerd/containerd.sock" (k3s: "/run/k3s/containerd/containerd.sock")'])),
  /**
   * Run privileged so cAdvisor can read `/dev/kmsg` and report `container_oom_events_total`.
   * Every other metric obs-stack keeps works without it.
   */
  privileged: flag(),
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).readonly();

export type CadvisorConfig = z.infer<typeof cadvisorSchema>;

export const CADVISOR_DEFAULTS: CadvisorConfig = {
  enabled: true,
  image: { repository: 'ghcr.io/google/cadvisor', tag: 'v0.60.5' },
  ports: { http: 8080 },
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '300m', memory: '256Mi' } },
  housekeepingInterval: '10s',
  containerdSocket: '/run/containerd/containerd.sock',
  privileged: false,
  pods: POD_DEFAULTS,
};

export const CADVISOR_PROFILES: ProfileChanges<CadvisorConfig> = {
  dev: { resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '200m', memory: '192Mi' } } },
  large: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
};
