/**
 * Turns environment definitions into validated configs: BASE ⊕ profile ⊕ environment overrides (objects
 * merge key by key, lists and scalars replace), then the strict schema parse (`validate.ts`), which refuses
 * unknown keys at every depth. Before merging, overrides are checked for what a merge must never copy:
 * prototype keys (`__proto__`, `constructor`, `prototype`), objects that are not plain data, and cycles.
 */
import { BASE, PROFILES } from './defaults';
import { PROFILE_NAMES, isDnsLabel } from './fields';
import { REPLACED_SELECTORS } from '../components/network-policies/config';
import type { EnvironmentDefinition, ResolvedEnvironment, StackConfig, StackOverrides } from './types';
import { quote } from '../lib/quote';
import { type ConfigIssue, StackConfigError, formatPath, validateConfig } from './validate';

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Plain data: no prototype, or Object.prototype of any realm (an object built in a vm context is plain too). */
function isPlainData(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Refuses what a merge must not copy: prototype keys at any depth (also as own keys from JSON.parse),
 * objects other than plain data (class instances, Maps, Dates, or a literal with a `__proto__` key, whose
 * inherited fields would be silently ignored), cycles, and absurd nesting.
 */
function scan(value: unknown, path: PropertyKey[], issues: ConfigIssue[], stack: Set<object>): void {
  if (typeof value !== 'object' || value === null) return;
  if (stack.has(value)) {
    issues.push({ path: formatPath(path), value, message: 'refers to an object that contains it (a cycle)', fix: 'write the value out instead of referring back to an enclosing object' });
    return;
  }
  if (path.length > MAX_DEPTH) {
    issues.push({ path: formatPath(path), value, message: `is nested more than ${MAX_DEPTH} levels deep`, fix: 'no obs-stack option is nested that deep; check the braces' });
    return;
  }
  if (!Array.isArray(value)) {
    if (!isPlainData(value)) {
      issues.push({ path: formatPath(path), value, message: 'is not a plain object', fix: 'write it as an object literal { ... } (no class instances, Maps, Dates or "__proto__" keys)' });
      return;
    }
  }
  stack.add(value);
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol') continue;
    if (Array.isArray(value) && key === 'length') continue;
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    const childPath = [...path, Array.isArray(value) && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key];
    if (FORBIDDEN_KEYS.has(key)) {
      issues.push({ path: formatPath(childPath), value: 'value' in d ? d.value : undefined, message: 'is not allowed as a key', fix: 'remove it ("__proto__", "constructor" and "prototype" are refused everywhere)' });
      continue;
    }
    if (!('value' in d)) {
      issues.push({ path: formatPath(childPath), value: undefined, message: 'is defined with a getter (get ...() { })', fix: 'write a plain value' });
      continue;
    }
    scan(d.value, childPath, issues, stack);
  }
  stack.delete(value);
}

/** BASE ⊕ override: objects merge key by key, lists and scalars replace, `undefined` keeps the base value. */
function merge(base: unknown, override: unknown, path: string): unknown {
  if (override === undefined) return base;
  if (REPLACED_SELECTORS.includes(path) || !isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(override)) {
    out[key] = merge(Object.prototype.hasOwnProperty.call(base, key) ? base[key] : undefined, override[key], path ? `${path}.${key}` : key);
  }
  return out;
}

/** Applies `overrides` on top of `base` without checking them (resolveEnvironment checks). */
export function applyOverrides(base: StackConfig | StackOverrides, overrides: StackOverrides | undefined): unknown {
  return merge(base, overrides, '');
}

const ENVIRONMENT_KEYS = ['dashboards', 'name', 'overrides', 'profile'];

/** Checks an environment definition's own fields (name, profile, the overrides' shape). */
function definitionIssues(def: unknown, where: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!isPlainObject(def) || !isPlainData(def)) {
    return [{ path: where, value: def, message: 'must be an object', fix: 'write it as { name: "staging", profile: "prod", overrides: { ... } }' }];
  }
  for (const key of Object.keys(def)) {
    if (!ENVIRONMENT_KEYS.includes(key)) issues.push({ path: `${where}.${key}`, value: def[key], message: 'is not a known option', fix: `use one of: ${ENVIRONMENT_KEYS.join(', ')}` });
  }
  const { name, profile, overrides } = def;
  if (typeof name !== 'string') {
    issues.push({ path: `${where}.name`, value: name, message: 'must be a string', fix: 'use a DNS label such as "staging"' });
  } else if (name === '') {
    issues.push({ path: `${where}.name`, value: name, message: 'must not be empty', fix: 'use a DNS label such as "staging"' });
  } else if (!isDnsLabel(name)) {
    issues.push({ path: `${where}.name`, value: name, message: 'is not a valid DNS label (lower-case letters, digits and "-", at most 63)', fix: 'use e.g. "staging"' });
  } else if (name === 'argocd') {
    issues.push({ path: `${where}.name`, value: name, message: 'is reserved for the ArgoCD Applications folder', fix: 'choose another name' });
  }
  if (typeof profile !== 'string' || !(PROFILE_NAMES as readonly string[]).includes(profile)) {
    issues.push({ path: `${where}.profile`, value: profile, message: 'is not a known profile', fix: `use one of: ${PROFILE_NAMES.join(', ')}` });
  }
  if (overrides !== undefined && !isPlainObject(overrides)) {
    issues.push({ path: `${where}.overrides`, value: overrides, message: 'must be an object', fix: 'write the overrides as an object, e.g. { loki: { retention: "336h" } }, or leave them out' });
  } else if (overrides !== undefined) {
    scan(overrides, [], issues, new Set());
  }
  if (def.dashboards !== undefined && !Array.isArray(def.dashboards)) {
    issues.push({ path: `${where}.dashboards`, value: def.dashboards, message: 'must be a list', fix: 'use e.g. [new DashboardBuilder("Payments").uid("payments")], or leave it out' });
  }
  return issues;
}

function environmentLabel(def: unknown, fallback: string): string {
  return isPlainObject(def) && typeof def.name === 'string' && def.name !== '' ? def.name : fallback;
}

/** Resolves and validates one environment; throws `StackConfigError` listing every problem found. */
export function resolveEnvironment(def: EnvironmentDefinition, position = 'environments[]'): ResolvedEnvironment {
  const name = environmentLabel(def, position);
  const issues = definitionIssues(def, name !== position && isDnsLabel(name) && name !== 'argocd' ? `environments.${name}` : position);
  if (issues.length > 0) throw new StackConfigError(name, issues);
  const merged = applyOverrides(applyOverrides(BASE, PROFILES[def.profile]) as StackConfig, def.overrides);
  const result = validateConfig(merged);
  if (result.config === undefined) throw new StackConfigError(name, result.issues);
  return { name: def.name, profile: def.profile, config: result.config, ...(def.dashboards !== undefined && def.dashboards.length > 0 ? { dashboards: [...def.dashboards] } : {}) };
}

/**
 * Resolves every environment, refusing duplicates. All environments are checked before any error is
 * thrown, so one run reports every broken environment at once.
 */
export function resolveEnvironments(defs: readonly EnvironmentDefinition[]): ResolvedEnvironment[] {
  const errors: StackConfigError[] = [];
  const seen = new Set<string>();
  const resolved: ResolvedEnvironment[] = [];
  if (!Array.isArray(defs)) {
    throw new StackConfigError('environments', [{ path: 'environments', value: defs, message: 'must be a list', fix: 'use e.g. [{ name: "dev", profile: "dev" }]' }]);
  }
  defs.forEach((def, i) => {
    const name = environmentLabel(def, `environments[${i}]`);
    if (!isPlainObject(def)) {
      errors.push(new StackConfigError(name, definitionIssues(def, `environments[${i}]`)));
      return;
    }
    if (seen.has(name)) {
      errors.push(new StackConfigError(name, [{
        path: 'environments', value: name, message: 'is defined twice', fix: 'give each environment its own name',
      }]));
      return;
    }
    seen.add(name);
    try {
      resolved.push(resolveEnvironment(defs[i], `environments[${i}]`));
    } catch (e) {
      if (e instanceof StackConfigError) errors.push(e);
      else throw e;
    }
  });
  errors.push(...crossEnvironmentErrors(resolved));
  if (errors.length > 0) throw StackConfigError.combine(errors);
  return resolved;
}

/** One spelling per API server: scheme and host lower-case, no default port, no trailing slash. */
export function clusterKey(server: string): string {
  try {
    const u = new URL(server);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return server;
  }
}

/**
 * Checks that need every environment at once; `--env` runs them too, against all of the project's
 * environments, so a subset is accepted exactly when the whole project is.
 */
function crossEnvironmentErrors(resolved: readonly ResolvedEnvironment[]): StackConfigError[] {
  const errors: StackConfigError[] = [];
  // dist/ lives in one repository, so every environment's Application reads from the same one.
  const first = resolved[0];
  for (const env of resolved.slice(1)) {
    if (env.config.argocd.repoURL !== first.config.argocd.repoURL) {
      errors.push(new StackConfigError(env.name, [{
        path: `environments.${env.name}.argocd.repoURL`, value: env.config.argocd.repoURL,
        message: `differs from ${quote(first.config.argocd.repoURL)} (environment ${quote(first.name)}); ArgoCD reads every environment's dist/ folder from one repository`,
        fix: 'set argocd.repoURL to the same repository, spelled the same way, in every environment',
      }]));
    }
  }
  // Two environments synced into the same cluster and namespaces would fight over the same objects.
  const targets = new Map<string, { env: string; role: string }>();
  for (const env of resolved) {
    const c = env.config;
    const cluster = clusterKey(c.argocd.destinationServer);
    for (const [ns, role] of [[c.common.namespace, 'common.namespace'], [c.common.agentNamespace, 'common.agentNamespace']] as const) {
      const key = `${cluster} ${ns}`;
      const other = targets.get(key);
      if (other !== undefined && other.env !== env.name) {
        errors.push(new StackConfigError(env.name, [{
          path: `environments.${env.name}.argocd.destinationServer`, value: c.argocd.destinationServer,
          message: `deploys namespace ${quote(ns)} (${role}) to the same cluster as environment ${quote(other.env)} (its ${other.role}), and the two would overwrite each other's objects`,
          fix: 'give each environment its own cluster (argocd.destinationServer) or its own namespaces (common.namespace, common.agentNamespace)',
        }]));
        break;
      }
      targets.set(key, { env: env.name, role });
    }
  }
  return errors;
}
