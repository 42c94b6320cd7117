/**
 * Promtail's config slice: the schema (type and runtime check in one) and its defaults. Which log agent
 * runs is `logAgent` (src/config/schema.ts).
 */
import * as z from 'zod';
import { image, listenPorts, obj, resourcesSchema, type ProfileChanges } from '../../config/fields';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

export const promtailSchema = obj({
  /** The Promtail image, pinned. Promtail reached end of life on 2026-03-02; 3.6.15 is the last 3.x line. */
  image: image({ repository: 'docker.io/grafana/promtail', tag: '3.6.15' }, { registryHost: true }),
  /** Listen port (`server.http_listen_port`). */
  ports: listenPorts('promtail', { http: 3101 }),
  resources: resourcesSchema,
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).readonly();

export type PromtailConfig = z.infer<typeof promtailSchema>;

export const PROMTAIL_DEFAULTS: PromtailConfig = {
  // Promtail reached end of life on 2026-03-02; 3.6.15 is the last 3.x line. Alloy is the successor.
  image: { repository: 'docker.io/grafana/promtail', tag: '3.6.15' },
  ports: { http: 3101 },
  resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
  pods: POD_DEFAULTS,
};

export const PROMTAIL_PROFILES: ProfileChanges<PromtailConfig> = {};
