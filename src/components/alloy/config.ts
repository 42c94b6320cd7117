/**
 * Grafana Alloy's config slice: the schema (type and runtime check in one), its defaults, and what each
 * profile changes. Which log agent runs is `logAgent` (src/config/schema.ts).
 */
import * as z from 'zod';
import { image, listenPorts, obj, resourcesSchema, type ProfileChanges } from '../../config/fields';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

export const alloySchema = obj({
  /** The Alloy image, pinned. */
  image: image({ repository: 'docker.io/grafana/alloy', tag: 'v1.18.1' }, { registryHost: true }),
  /** Listen port (`--server.http.listen-addr`). */
  ports: listenPorts('alloy', { http: 12345 }),
  resources: resourcesSchema,
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).readonly();

export type AlloyConfig = z.infer<typeof alloySchema>;

export const ALLOY_DEFAULTS: AlloyConfig = {
  image: { repository: 'docker.io/grafana/alloy', tag: 'v1.18.1' },
  ports: { http: 12345 },
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '300m', memory: '512Mi' } },
  pods: POD_DEFAULTS,
};

export const ALLOY_PROFILES: ProfileChanges<AlloyConfig> = {
  large: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } },
};
