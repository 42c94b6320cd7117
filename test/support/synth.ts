/**
 * Test support: synthesize environments in memory and look objects up. Every test reads the same objects
 * `npm run synth` writes, without touching dist/.
 */
import { load, loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../src/config/environments';
import { resolveEnvironment, resolveEnvironments } from '../../src/config/resolve';
import type { EnvironmentDefinition, StackOverrides, ProfileName } from '../../src/config/types';
import type { SynthResult } from '../../src/outputs/synthesize';
import type { StackBuild } from '../../src/stack';
import { runCached } from './run-cache';

// Loaded on first use, so a test file that only reads synthesized files never loads cdk8s and the components.
const stack = (): typeof import('../../src/stack') => require('../../src/stack');
const synth = (): typeof import('../../src/outputs/synthesize') => require('../../src/outputs/synthesize');

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

/**
 * What `synthesize(defs)` returns: everything but the builds comes from one synth per `jest` run
 * (test/support/run-cache.ts, under `key`); the builds are made in this test file on first use.
 */
export function cachedSynth(key: string, defs: readonly EnvironmentDefinition[]): SynthResult {
  const { files, ...rest } = runCached(key, () => {
    const { files: f, builds: _builds, ...r } = synth().synthesize(defs);
    return { files: [...f], ...r };
  });
  let builds: StackBuild[] | undefined;
  return {
    files: new Map(files),
    ...rest,
    get builds(): StackBuild[] {
      builds ??= resolveEnvironments(defs).filter((e) => rest.environments.includes(e.name)).map((env) => stack().buildStack(env));
      return builds;
    },
  };
}

let cached: SynthResult | undefined;

/** The synth of the project's own environments (one per test run, see cachedSynth). */
export function synthAll(): SynthResult {
  cached ??= cachedSynth('synth-environments', ENVIRONMENTS);
  return cached;
}

const plainBuilds = new Map<string, StackBuild>();

/**
 * Builds one environment from a profile plus overrides. A profile without overrides is built once per test
 * file and shared by its tests (many read the same dev or prod build): read it, do not change it.
 */
export function buildEnv(profile: ProfileName, overrides?: StackOverrides, name = `test-${profile}`): StackBuild {
  if (overrides !== undefined) return stack().buildStack(resolveEnvironment({ name, profile, overrides }));
  const key = `${profile}/${name}`;
  let build = plainBuilds.get(key);
  if (build === undefined) plainBuilds.set(key, build = stack().buildStack(resolveEnvironment({ name, profile, overrides })));
  return build;
}

/** All Kubernetes objects of a build, in file order. */
export function objectsOf(build: StackBuild): KubeObject[] {
  return build.charts.flatMap((c) => c.toJson() as KubeObject[]);
}

const parsed = new WeakMap<SynthResult, Map<string, KubeObject[]>>();

/** Objects from synthesized files of one environment's manifests folder (parsed once per result; a fresh copy each call). */
export function manifestObjects(result: SynthResult, env: string): KubeObject[] {
  let byEnv = parsed.get(result);
  if (byEnv === undefined) parsed.set(result, byEnv = new Map());
  let objects = byEnv.get(env);
  if (objects === undefined) {
    const prefix = `${env}/manifests/`;
    objects = [...result.files.entries()]
      .filter(([p]) => p.startsWith(prefix) && p.endsWith('.yaml'))
      .flatMap(([, c]) => loadAll(c) as KubeObject[])
      .filter((o) => o !== null && o !== undefined);
    byEnv.set(env, objects);
  }
  return structuredClone(objects);
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
