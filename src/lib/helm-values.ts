/**
 * Value shapes several charts share, and helpers turning obs-stack config into them. Plain data only
 * (no cdk8s Quantity objects): these objects are dumped to YAML as they are.
 */
import type { CommonConfig, ImageSpec, ObjectStorageSpec, PodSettings, ResourceSpec } from '../config/types';
import { mergeAffinity } from './pod-settings';
import { goMemLimitEnv, imageRef } from './kube';
import { envRef, needsEnvExpansion, objectStorageCredentials } from './object-storage';

/** `resources:` as every chart takes it. */
export interface ResourcesValues {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export function resourcesValues(r: ResourceSpec): ResourcesValues {
  return { requests: { cpu: r.requests.cpu, memory: r.requests.memory }, limits: { cpu: r.limits.cpu, memory: r.limits.memory } };
}

export interface PodSecurityContextValues {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
  readonly fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' };
}

export interface ContainerSecurityContextValues {
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly privileged?: boolean;
  readonly capabilities?: { readonly drop: readonly string[] };
}

/** The repository part of `imageRef` (with `common.imageRegistry` applied), for charts taking repository and tag apart. */
export function imageRepository(img: ImageSpec, common: CommonConfig): string {
  const ref = imageRef(img, common);
  return ref.slice(0, ref.length - img.tag.length - 1);
}

/** The chart-neutral image block (`repository`, `tag`, `pullPolicy`). */
export interface ImageValues {
  readonly repository: string;
  readonly tag: string;
  readonly pullPolicy: 'IfNotPresent';
}

export function imageValues(img: ImageSpec, common: CommonConfig): ImageValues {
  return { repository: imageRepository(img, common), tag: img.tag, pullPolicy: 'IfNotPresent' };
}

/** The image split as charts that take the registry apart take it: `registry` (first path segment) and `repository`. */
export interface RegistryImageValues extends ImageValues {
  readonly registry: string;
}

export function registryImageValues(img: ImageSpec, common: CommonConfig): RegistryImageValues {
  const full = imageRepository(img, common);
  const slash = full.indexOf('/');
  if (slash < 0) throw new Error(`image ${full}: the chart needs a registry host in the repository (e.g. docker.io/${full})`);
  return { registry: full.slice(0, slash), repository: full.slice(slash + 1), tag: img.tag, pullPolicy: 'IfNotPresent' };
}

/**
 * Protects text a chart passes through Helm's `tpl` (`passes` times): every `{{` becomes an action that
 * prints `{{`, so the file the component reads is the text we rendered. Identity for text without `{{`.
 */
export function tplEscape(text: string, passes = 1): string {
  let out = text;
  for (let i = 0; i < passes; i++) out = out.replace(/\{\{/g, '{{ "{{" }}');
  return out;
}

/**
 * The `${VAR}` references a chart's `-config.expand-env=true` may expand in a config: exactly the
 * Secret-backed credential variables of `objectStorageCredentials`, and only when the config names them
 * (`needsEnvExpansion`). Everything else with a `$` would be rewritten by the process, so it is refused.
 */
export function expandableEnvRefs(spec: ObjectStorageSpec): string[] {
  if (!needsEnvExpansion(spec)) return [];
  return objectStorageCredentials(spec).env.filter((e) => e.valueFrom?.secretKeyRef !== undefined).map((e) => envRef(e.name));
}

/**
 * Throws unless every `$` in `config` is one of `allowed` (`${VAR}` references). The message names the
 * config key path, the offending value and the fix.
 */
export function assertOnlyExpandableRefs(component: string, config: unknown, allowed: readonly string[]): void {
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      const rest = allowed.reduce((t, ref) => t.split(ref).join(''), v);
      if (rest.includes('$')) {
        throw new Error(`${component} config ${path}: "${v}" contains "$", which the chart's -config.expand-env=true would expand`
          + `${allowed.length > 0 ? ` (only ${allowed.join(', ')} are meant to be)` : ''}; remove the "$" from that setting or use the manifests path`);
      }
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('$')) throw new Error(`${component} config ${path}.${k}: the key contains "$", which the chart's -config.expand-env=true would expand; rename it or use the manifests path`);
        walk(x, path === '' ? k : `${path}.${k}`);
      }
    }
  };
  walk(config, '');
}

/** A container env var as the charts take it (`extraEnv`): a literal or a Secret key reference. */
export interface EnvValues {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

/**
 * The manifests' `GOMEMLIMIT` (`goMemLimitEnv`: 90% of the memory limit) as a chart env entry, so a Go
 * component installed by a chart gets the same soft heap limit as its manifests twin.
 */
export function goMemLimitEnvValues(r: ResourceSpec): EnvValues {
  const e = goMemLimitEnv(r);
  return { name: e.name, value: e.value };
}

/** A Secret volume as the charts take it (`extraVolumes`). */
export interface SecretVolumeValues {
  readonly name: string;
  readonly secret: { readonly secretName: string; readonly items?: ReadonlyArray<{ readonly key: string; readonly path: string }>; readonly defaultMode?: number };
}

export interface VolumeMountValues {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
}

/** Object-storage credentials as chart values: the same env, volumes and mounts as the manifests (Secret references only). */
export interface CredentialValues {
  readonly env: EnvValues[];
  readonly volumes: SecretVolumeValues[];
  readonly mounts: VolumeMountValues[];
}

export function objectStorageCredentialValues(spec: ObjectStorageSpec): CredentialValues {
  const c = objectStorageCredentials(spec);
  return {
    env: c.env.map((e) => ({
      name: e.name,
      ...(e.value !== undefined ? { value: e.value } : {}),
      ...(e.valueFrom?.secretKeyRef ? { valueFrom: { secretKeyRef: { name: e.valueFrom.secretKeyRef.name!, key: e.valueFrom.secretKeyRef.key } } } : {}),
    })),
    volumes: c.volumes.map((v) => {
      if (!v.secret?.secretName) throw new Error(`object-storage credentials volume ${v.name}: only Secret volumes are expected`);
      return {
        name: v.name,
        secret: {
          secretName: v.secret.secretName,
          ...(v.secret.items ? { items: v.secret.items.map((i) => ({ key: i.key, path: i.path })) } : {}),
          ...(v.secret.defaultMode !== undefined ? { defaultMode: v.secret.defaultMode } : {}),
        },
      };
    }),
    mounts: c.mounts.map((m) => ({ name: m.name, mountPath: m.mountPath, ...(m.readOnly !== undefined ? { readOnly: m.readOnly } : {}) })),
  };
}

/**
 * Where a chart's pods run and what they carry, as every chart names it (`nodeSelector`, `tolerations`,
 * `affinity`, `podLabels`, `podAnnotations`): the Helm path's own settings for the chart (`own`), then the
 * component's `pods` settings merged as the manifests merge them (`applyPodSettings`), then
 * `common.annotations` on the pods. Keys stay out while empty, so a chart's defaults are left alone.
 */
export interface PodPlacementValues {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly unknown[];
  readonly affinity?: unknown;
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

export function podPlacementValues(pods: PodSettings, common: CommonConfig, own: PodPlacementValues = {}): PodPlacementValues {
  const nodeSelector = { ...(own.nodeSelector ?? {}), ...pods.nodeSelector };
  const tolerations = [...(own.tolerations ?? []), ...JSON.parse(JSON.stringify(pods.tolerations)) as unknown[]];
  const affinity = Object.keys(pods.affinity).length > 0 ? mergeAffinity(own.affinity, pods.affinity) : own.affinity;
  const podLabels = { ...(own.podLabels ?? {}), ...pods.labels };
  const podAnnotations = { ...common.annotations, ...pods.annotations, ...(own.podAnnotations ?? {}) };
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
    ...(affinity !== undefined ? { affinity } : {}),
    ...(Object.keys(podLabels).length > 0 ? { podLabels } : {}),
    ...(Object.keys(podAnnotations).length > 0 ? { podAnnotations } : {}),
  };
}
