/**
 * node-exporter's config slice: the schema (type and runtime check in one), its defaults, and what each
 * profile changes.
 */
import * as z from 'zod';
import { flag, image, listenPort, obj, resourcesSchema, text, type ProfileChanges } from '../../config/fields';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

const TEXTFILE_DIR: readonly [string, string] = ['is not an absolute path on the node', 'use e.g. "/var/lib/node-exporter/textfile", or "" to leave the textfile collector off'];

export const nodeExporterSchema = obj({
  /** A node-exporter on every node (DaemonSet in the agents namespace): node CPU, memory, disks, filesystems, network. */
  enabled: flag(),
  image: image({ repository: 'quay.io/prometheus/node-exporter', tag: 'v1.12.1' }, { registryHost: true }),
  /** `--web.listen-address` port on the node (node-exporter shares the node's network). */
  port: listenPort(9100),
  resources: resourcesSchema,
  /**
   * A directory on the node with `*.prom` files for the textfile collector (`--collector.textfile.directory`),
   * mounted read-only. Empty: the textfile collector is off.
   */
  textfileDirectory: text(TEXTFILE_DIR, (v) => {
    if (v === '') return undefined;
    if (!/^\/[A-Za-z0-9._/-]*$/.test(v)) return TEXTFILE_DIR;
    if (/(^|\/)\.\.?(\/|$)/.test(v) || v === '/') return ['is the node\'s root or climbs out of its folder', 'name the folder that holds the *.prom files, e.g. "/var/lib/node-exporter/textfile"'];
    return undefined;
  }),
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).readonly();

export type NodeExporterConfig = z.infer<typeof nodeExporterSchema>;

export const NODE_EXPORTER_DEFAULTS: NodeExporterConfig = {
  enabled: true,
  image: { repository: 'quay.io/prometheus/node-exporter', tag: 'v1.12.1' },
  // node-exporter's own default port.
  port: 9100,
  resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  textfileDirectory: '',
  pods: POD_DEFAULTS,
};

export const NODE_EXPORTER_PROFILES: ProfileChanges<NodeExporterConfig> = {
  dev: { resources: { requests: { cpu: '10m', memory: '24Mi' }, limits: { cpu: '100m', memory: '64Mi' } } },
  large: { resources: { requests: { cpu: '50m', memory: '48Mi' }, limits: { cpu: '300m', memory: '192Mi' } } },
};
