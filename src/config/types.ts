/**
 * The typed configuration of one obs-stack environment: every type here is inferred from the zod schema
 * (`schema.ts`, built from each component's `src/components/<name>/config.ts`), so the type and the runtime
 * check are one declaration; the field documentation lives on the schema.
 *
 * Every field is resolved (defaults applied) by the time a component sees it: components never apply
 * defaults of their own. Defaults and profiles live next to each schema; environments in `environments.ts`.
 *
 * Conventions: durations are strings in Prometheus/Go notation (`15d`, `168h`, `30s`); Kubernetes
 * quantities are strings (`500m`, `2Gi`); field names use the upstream component's own terms where one
 * exists (`retention`, `scrapeInterval`, `block_retention` is `tempo.retention`).
 */
import type { z } from 'zod';
import type { stackConfigSchema } from './schema';
import type { image, resourcesSchema, storageSchema, DeepPartial, ProfileName } from './fields';
import type { DashboardSource } from '../components/registry';

export type * from '../components/registry';
export type { RuleGroupSpec } from '../lib/rules';
export type { ArgoCdConfig } from './argocd';
export type { CommonConfig, PriorityClassSpec } from './common';
export type { DnsPeer, NetworkPolicyConfig } from '../components/network-policies/config';
export type { ObjectStorageCredentials, ObjectStorageSpec, ObjectStorageType } from './object-storage';
export type { DeepPartial, ProfileName } from './fields';
export type { AffinitySpec, LabelSelectorSpec, PodSettings, TolerationSpec } from './pods';

/**
 * The whole configuration of one environment. An interface, not an alias: the sections come from the
 * components' registrations, whose endpoint builders take a `StackConfig`, and only an interface lets the
 * two refer to each other.
 */
export interface StackConfig extends z.infer<typeof stackConfigSchema> {}

/** CPU and memory for one container, as Kubernetes quantities. */
export type ResourceSpec = z.infer<typeof resourcesSchema>;

/** Where a component keeps its data. */
export type StorageSpec = z.infer<typeof storageSchema>;

/** A container image, pinned by tag (never `latest`). */
export type ImageSpec = z.infer<ReturnType<typeof image>>;

/** What a log agent's pod needs from its slice (every log agent alike). */
export interface LogAgentSpec { readonly resources: ResourceSpec }

/** A partial config, as environments and profiles write it: any field may be left out. */
export type StackOverrides = DeepPartial<StackConfig>;

/** One environment: a name (its folder under `dist/`), the profile it starts from, and its own overrides. */
export interface EnvironmentDefinition {
  /** Folder name under `dist/`: lower-case letters, digits and dashes. */
  readonly name: string;
  readonly profile: ProfileName;
  readonly overrides?: StackOverrides;
  /**
   * Dashboards of your own, provisioned next to the stack's: Foundation SDK builders (or built dashboards),
   * each with a uid of its own. @default - none
   */
  readonly dashboards?: readonly DashboardSource[];
}

/** A resolved, validated environment handed to the composition root. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly profile: ProfileName;
  readonly config: StackConfig;
  /** The definition's dashboards, built and checked when Grafana's dashboards are rendered. @default - none */
  readonly dashboards?: readonly DashboardSource[];
}
