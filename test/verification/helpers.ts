/** Helpers for the "fails when ..." tests: copies of real objects with one thing broken. */
import type { KubeObject } from '../support/synth';
import { configNamed } from './configs';

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** A copy of the maximal config's objects, with `mutate` applied to the first object matching kind/name. */
export function brokenObjects(kind: string, name: string, mutate: (o: KubeObject) => void, label = 'verify-maximal'): KubeObject[] {
  const objects = clone(configNamed(label).objects);
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in ${label}`);
  mutate(o);
  return objects;
}
