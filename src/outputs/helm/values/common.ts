/**
 * Value shapes several charts share, and helpers turning obs-stack config into them. Plain data only
 * (no cdk8s Quantity objects): these objects are dumped to YAML as they are.
 */
import type { CommonConfig, ImageSpec, ResourceSpec } from '../../../config/types';
import { imageRef } from '../../../lib/kube';

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

/** The image split as the grafana-family charts take it: `registry` (first path segment) and `repository`. */
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
