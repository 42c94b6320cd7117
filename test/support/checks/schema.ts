/**
 * Strict Kubernetes schema validation for the target version (1.28).
 *
 * Two maintained sources, each for what it knows:
 * - Field names: the Kubernetes 1.28 types cdk8s-plus-28 ships (`lib/imports/k8s.js`, generated from the
 *   1.28 OpenAPI document). Its per-type `toJson_<Type>` functions list every JSON key of each type and
 *   which type each nested key has; we read them once into a field table and walk every object against
 *   it, so an unknown or misspelled field (`imagePullPolicyy`) is an error.
 * - Types, enums and required fields: `kubernetes-models` (ajv validators compiled from the OpenAPI
 *   schema), which reports `must be integer` or `must have required property` but ignores unknown keys.
 * Nothing is read from outside node_modules at test time.
 */
import { readFileSync } from 'node:fs';
import { type KubeObject, type Problem, objectId } from './problem';

/** What a JSON value of one field holds. */
type FieldType =
  | { readonly t: 'scalar' } // string, number, boolean, quantity, int-or-string, time, or free JSON
  | { readonly t: 'object'; readonly type: string }
  | { readonly t: 'array'; readonly of: FieldType }
  | { readonly t: 'map'; readonly of: FieldType };

type FieldTable = ReadonlyMap<string, ReadonlyMap<string, FieldType>>;

export interface KindSchema {
  /** Name of the cdk8s props type whose fields are the object's top-level fields (besides apiVersion/kind). */
  readonly propsType: string;
}

export interface K8sSchema {
  readonly types: FieldTable;
  /** `apiVersion/kind` → top-level props type. */
  readonly kinds: ReadonlyMap<string, KindSchema>;
}

function parseValue(expr: string): FieldType {
  const e = expr.trim();
  if (e.includes('Object.entries(')) {
    const inner = /\[i\[0\]\]:\s*toJson_(\w+)\(i\[1\]\)/.exec(e);
    return { t: 'map', of: inner ? { t: 'object', type: inner[1] } : { t: 'scalar' } };
  }
  const mapped = /\?\.map\(y => (.*)\)$/.exec(e);
  if (mapped) {
    const inner = /^toJson_(\w+)\(y\)$/.exec(mapped[1].trim());
    return { t: 'array', of: inner ? { t: 'object', type: inner[1] } : { t: 'scalar' } };
  }
  const nested = /^toJson_(\w+)\(obj\.\w+\)$/.exec(e);
  if (nested) return { t: 'object', type: nested[1] };
  return { t: 'scalar' };
}

let cachedSchema: K8sSchema | undefined;

/** Reads the Kubernetes 1.28 field table from cdk8s-plus-28 (once per process). */
export function loadK8sSchema(): K8sSchema {
  if (cachedSchema) return cachedSchema;
  const file = require.resolve('cdk8s-plus-28/lib/imports/k8s.js');
  const src = readFileSync(file, 'utf8');
  const types = new Map<string, Map<string, FieldType>>();
  const fnRe = /^function toJson_(\w+)\(obj\) \{\n([\s\S]*?)^}\n/gm;
  for (let m = fnRe.exec(src); m !== null; m = fnRe.exec(src)) {
    const body = m[2];
    const result = /const result = \{\n([\s\S]*?)\n\s*\};/.exec(body);
    const fields = new Map<string, FieldType>();
    if (result) {
      for (const line of result[1].split('\n')) {
        const f = /^\s*'([^']+)': (.*),\s*$/.exec(line);
        if (f) fields.set(f[1], parseValue(f[2]));
      }
    }
    types.set(m[1], fields);
  }
  const kinds = new Map<string, KindSchema>();
  const gvkRe = /^(Kube\w+)\.GVK = \{\n\s*apiVersion: '([^']+)',\n\s*kind: '([^']+)',/gm;
  for (let m = gvkRe.exec(src); m !== null; m = gvkRe.exec(src)) {
    const propsType = `${m[1]}Props`;
    if (types.has(propsType)) kinds.set(`${m[2]}/${m[3]}`, { propsType });
  }
  if (types.size < 300 || !kinds.has('apps/v1/Deployment')) {
    throw new Error(`internal: could not read the Kubernetes field table from ${file} (${types.size} types, ${kinds.size} kinds); the cdk8s-plus-28 layout changed`);
  }
  cachedSchema = { types, kinds };
  return cachedSchema;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Props types of whole API objects; embedded, they keep their own `apiVersion` and `kind`. */
const EMBEDDED_OBJECT = /^Kube\w+Props$/;

function walk(schema: K8sSchema, value: unknown, type: FieldType, path: string, id: string, out: Problem[]): void {
  if (value === null || value === undefined) return;
  switch (type.t) {
    case 'scalar':
      return;
    case 'array':
      if (Array.isArray(value)) value.forEach((v, i) => walk(schema, v, type.of, pointer(path, i), id, out));
      return; // a wrong container type is reported by the type validator
    case 'map':
      if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) walk(schema, v, type.of, pointer(path, k), id, out);
      return;
    case 'object': {
      const fields = schema.types.get(type.type);
      if (!fields || !isPlainObject(value)) return;
      for (const [k, v] of Object.entries(value)) {
        // A whole object inside another (a StatefulSet's volumeClaimTemplates) may say what it is.
        if (EMBEDDED_OBJECT.test(type.type) && (k === 'apiVersion' || k === 'kind')) continue;
        const ft = fields.get(k);
        if (!ft) {
          const known = [...fields.keys()].sort();
          out.push({ check: 'schema', object: id, path: pointer(path, k), message: `unknown field "${k}" in ${type.type} (Kubernetes 1.28); known fields: ${known.join(', ')}` });
          continue;
        }
        walk(schema, v, ft, pointer(path, k), id, out);
      }
    }
  }
}

/** Unknown fields (Kubernetes 1.28 field table) of one object; unknown apiVersion/kind is a problem too. */
export function unknownFieldProblems(o: KubeObject, schema: K8sSchema = loadK8sSchema()): Problem[] {
  const id = objectId(o);
  const kind = schema.kinds.get(`${o.apiVersion}/${o.kind}`);
  if (!kind) return [{ check: 'schema', object: id, path: '/apiVersion', message: `${o.apiVersion} ${o.kind} is not a built-in kind of Kubernetes 1.28` }];
  const out: Problem[] = [];
  const fields = schema.types.get(kind.propsType)!;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    const ft = fields.get(k);
    if (!ft) {
      out.push({ check: 'schema', object: id, path: pointer('', k), message: `unknown top-level field "${k}" for ${o.kind}; known: apiVersion, kind, ${[...fields.keys()].join(', ')}` });
      continue;
    }
    // metadata is ObjectMeta on the wire (cdk8s's props use its own ApiObjectMetadata)
    walk(schema, v, k === 'metadata' ? { t: 'object', type: 'ObjectMeta' } : ft, pointer('', k), id, out);
  }
  return out;
}

type ModelClass = new (data: any) => { validate(): void };

/** `apps/v1` → `kubernetes-models/apps/v1`; `v1` → `kubernetes-models/v1`. */
function modelClass(apiVersion: string, kind: string): ModelClass | undefined {
  try {
    const mod = require(`kubernetes-models/${apiVersion}`) as Record<string, ModelClass>;
    return mod[kind];
  } catch {
    return undefined;
  }
}

/** Type, enum and required-field errors from kubernetes-models. */
export function typeProblems(o: KubeObject): Problem[] {
  const id = objectId(o);
  const Model = modelClass(o.apiVersion, o.kind);
  if (!Model) return [{ check: 'schema', object: id, path: '/apiVersion', message: `kubernetes-models has no ${o.apiVersion} ${o.kind}` }];
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> }).errors;
    if (!errors) throw e;
    return errors.map((err) => ({
      check: 'schema',
      object: id,
      path: err.instancePath || '/',
      message: `${err.message ?? 'is invalid'}${err.params && 'allowedValues' in err.params ? ` (${JSON.stringify(err.params.allowedValues)})` : ''}`,
    }));
  }
}

/** Strict schema check: unknown fields, wrong types, missing required fields, unknown kinds. */
export function checkSchema(objects: readonly KubeObject[]): Problem[] {
  return objects.flatMap((o) => {
    const unknown = unknownFieldProblems(o);
    if (unknown.length > 0 && unknown[0].path === '/apiVersion') return unknown;
    return [...unknown, ...typeProblems(o)];
  });
}
