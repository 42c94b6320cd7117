/**
 * node-exporter's slice of the config: its type, defaults, per-profile values and validation, hooked into
 * src/config (types.ts, defaults.ts, validate.ts) with one line each.
 */
import type { ImageSpec, ProfileName, ResourceSpec, DeepPartial } from '../../config/types';
import type { Checker } from '../../config/validate';

export interface NodeExporterConfig {
  /** A node-exporter on every node (DaemonSet in the agents namespace): node CPU, memory, disks, filesystems, network. */
  readonly enabled: boolean;
  readonly image: ImageSpec;
  /** `--web.listen-address` port on the node (node-exporter shares the node's network). */
  readonly port: number;
  readonly resources: ResourceSpec;
  /**
   * A directory on the node with `*.prom` files for the textfile collector (`--collector.textfile.directory`),
   * mounted read-only. Empty: the textfile collector is off.
   */
  readonly textfileDirectory: string;
}

export const NODE_EXPORTER_DEFAULTS: NodeExporterConfig = {
  enabled: true,
  image: { repository: 'quay.io/prometheus/node-exporter', tag: 'v1.12.1' },
  // node-exporter's own default port.
  port: 9100,
  resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  textfileDirectory: '',
};

export const NODE_EXPORTER_PROFILES: Readonly<Record<ProfileName, DeepPartial<NodeExporterConfig>>> = {
  dev: { resources: { requests: { cpu: '10m', memory: '24Mi' }, limits: { cpu: '100m', memory: '64Mi' } } },
  prod: {},
  large: { resources: { requests: { cpu: '50m', memory: '48Mi' }, limits: { cpu: '300m', memory: '192Mi' } } },
};

export function validateNodeExporter(c: Checker, cfg: NodeExporterConfig): void {
  c.boolean('nodeExporter.enabled', cfg.enabled);
  c.image('nodeExporter.image', cfg.image);
  c.port('nodeExporter.port', cfg.port, 9100);
  c.resources('nodeExporter.resources', cfg.resources);
  if (typeof cfg.textfileDirectory !== 'string' || (cfg.textfileDirectory !== '' && !/^\/[A-Za-z0-9._/-]*$/.test(cfg.textfileDirectory))) {
    c.fail('nodeExporter.textfileDirectory', cfg.textfileDirectory, 'is not an absolute path on the node', 'use e.g. "/var/lib/node-exporter/textfile", or "" to leave the textfile collector off');
  } else if (/(^|\/)\.\.?(\/|$)/.test(cfg.textfileDirectory) || cfg.textfileDirectory === '/') {
    c.fail('nodeExporter.textfileDirectory', cfg.textfileDirectory, 'is the node\'s root or climbs out of its folder', 'name the folder that holds the *.prom files, e.g. "/var/lib/node-exporter/textfile"');
  }
}
