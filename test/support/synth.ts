/**
 * Test support: synthesize environments in memory and look objects up. Every test reads the same objects
 * `npm run synth` writes, without touching dist/.
 */
import { load, loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../src/config/environments';
import { resolveEnvironment } from '../../src/config/resolve';
import type { EnvironmentDefinition, StackOverrides, ProfileName } from '../../src/config/types';
import { synthesize, type SynthResult } from '../../src/outputs/synthesize';
import { buildStack, type StackBuild } from '../../src/stack';

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

let cached: SynthResult | undefined;

/** The synth of the project's own environments (cached per test file). */
export function synthAll(): SynthResult {
  cached ??= synthesize(ENVIRONMENTS);
  return cached;
}

/** Builds one environment from a profile plus overrides. */
export function buildEnv(profile: ProfileName, overrides?: StackOverrides, name = `test-${profile}`): StackBuild {
  return buildStack(resolveEnvironment({ name, profile, overrides }));
}

/** All Kubernetes objects of a build, in file order. */
export function objectsOf(build: StackBuild): KubeObject[] {
  return build.charts.flatMap((c) => c.toJson() as KubeObject[]);
}

/** Objects from synthesized files of one environment's manifests folder. */
export function manifestObjects(result: SynthResult, env: string): KubeObject[] {
  const prefix = `${env}/manifests/`;
  return [...result.files.entries()]
    .filter(([p]) => p.startsWith(prefix) && p.endsWith('.yaml'))
    .flatMap(([, c]) => loadAll(c) as KubeObject[])
    .filter((o) => o !== null && o !== undefined);
}

export function find(objects: readonly KubeObject[], kind: string, name: string, namespace?: string): KubeObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name && (namespace === undefined || x.metadata.namespace === namespace));
  if (!o) throw new Error(`no ${kind} ${namespace ? `${namespace}/` : ''}${name} among ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

/** Parses a YAML document held in a ConfigMap key. */
export function configMapYaml<T = any>(objects: readonly KubeObject[], name: string, key: string, namespace?: string): T {
  const cm = find(objects, 'ConfigMap', name, namespace);
  const text = cm.data?.[key];
  if (typeof text !== 'string') throw new Error(`ConfigMap ${name} has no key ${key}`);
  return load(text) as T;
}

/** Workloads (Deployment, StatefulSet, DaemonSet) with their pod templates. */
export function workloads(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
}

export const ENV_NAMES = ENVIRONMENTS.map((e: EnvironmentDefinition) => e.name);
