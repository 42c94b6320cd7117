/**
 * Turns environment definitions into validated configs: BASE ⊕ profile ⊕ environment overrides, then
 * validation. Unknown keys are refused here (a typo such as `retension` must not be silently ignored).
 */
import { BASE, PROFILES } from './defaults';
import type { EnvironmentDefinition, ResolvedEnvironment, StackConfig, StackOverrides } from './types';
import { quote } from '../lib/quote';
import { ConfigIssue, StackConfigError, validateConfig, validateEnvironmentName } from './validate';

/** Paths whose value is a free-form map (any key allowed). */
const FREE_MAPS: ReadonlySet<string> = new Set([
  'common.labels', 'prometheus.externalLabels', 'networkPolicy.dns.podSelector', 'networkPolicy.ingressController.podSelector',
  'loki.objectStorage.credentials.serviceAccountAnnotations', 'tempo.objectStorage.credentials.serviceAccountAnnotations',
  'grafana.metricsDatasource.headers',
]);

/** Free-form maps an override replaces whole: a label selector merged with the default one would match nothing. */
const REPLACED_MAPS: ReadonlySet<string> = new Set(['networkPolicy.dns.podSelector', 'networkPolicy.ingressController.podSelector']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep-merges `override` onto `base`. Objects merge key by key, arrays and scalars replace, `undefined`
 * leaves the base value. A key the base does not know is reported as an issue.
 */
function merge(base: unknown, override: unknown, path: string, issues: ConfigIssue[]): unknown {
  if (override === undefined) return base;
  if (FREE_MAPS.has(path)) {
    if (!isPlainObject(override)) {
      issues.push({ path, value: override, message: 'must be a map of strings', fix: 'write it as { key: "value" }' });
      return base;
    }
    return REPLACED_MAPS.has(path) ? { ...override } : { ...(base as object), ...override };
  }
  if (!isPlainObject(base)) return override;
  if (!isPlainObject(override)) {
    // At the top, the value is the environment's `overrides` itself.
    const where = path || 'overrides';
    issues.push({ path: where, value: override, message: 'must be an object', fix: `write the fields of ${where} as an object, e.g. { prometheus: { retention: "15d" } }` });
    return base;
  }
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(override)) {
    const childPath = path ? `${path}.${key}` : key;
    if (!(key in base)) {
      const known = Object.keys(base).sort().join(', ');
      issues.push({ path: childPath, value: override[key], message: 'is not a known option', fix: `use one of: ${known}` });
      continue;
    }
    out[key] = merge(base[key], override[key], childPath, issues);
  }
  return out;
}

/** Applies `overrides` on top of `base`, collecting unknown-key issues. */
export function applyOverrides(base: StackConfig, overrides: StackOverrides | undefined, issues: ConfigIssue[]): StackConfig {
  return merge(base, overrides, '', issues) as StackConfig;
}

/** Resolves and validates one environment; throws `StackConfigError` listing every problem found. */
export function resolveEnvironment(def: EnvironmentDefinition): ResolvedEnvironment {
  const issues: ConfigIssue[] = [];
  // The name is the environment's folder under dist/; everything below names the environment by it.
  if (typeof def.name !== 'string') {
    throw new StackConfigError(String(def.name), [{
      path: 'environments[].name', value: def.name, message: `is a ${def.name === null ? 'null' : typeof def.name}, not a name`,
      fix: 'write the name as a string, a DNS label such as "staging"',
    }]);
  }
  validateEnvironmentName(def.name, issues);
  if (issues.length > 0) throw new StackConfigError(def.name, issues);
  const profile = PROFILES[def.profile];
  if (profile === undefined) {
    issues.push({
      path: `environments.${def.name}.profile`,
      value: def.profile,
      message: 'is not a known profile',
      fix: `use one of: ${Object.keys(PROFILES).join(', ')}`,
    });
    throw new StackConfigError(def.name, issues);
  }
  const config = applyOverrides(applyOverrides(BASE, profile, issues), def.overrides, issues);
  if (issues.length === 0) issues.push(...validateConfig(config));
  if (issues.length > 0) throw new StackConfigError(def.name, issues);
  return { name: def.name, profile: def.profile, config };
}

/**
 * Resolves every environment, refusing duplicates. All environments are checked before any error is
 * thrown, so one run reports every broken environment at once.
 */
export function resolveEnvironments(defs: readonly EnvironmentDefinition[]): ResolvedEnvironment[] {
  const errors: StackConfigError[] = [];
  const seen = new Set<string>();
  const resolved: ResolvedEnvironment[] = [];
  for (const [i, def] of defs.entries()) {
    if (typeof def !== 'object' || def === null || typeof def.name !== 'string') {
      const bare = typeof def !== 'object' || def === null;
      errors.push(new StackConfigError(`#${i + 1}`, [{
        path: bare ? `environments[${i}]` : `environments[${i}].name`, value: bare ? def : def.name,
        message: bare ? 'is not an environment definition' : `is ${def.name === undefined ? 'missing' : `a ${def.name === null ? 'null' : typeof def.name}, not a name`}`,
        fix: bare ? 'write it as { name: "staging", profile: "prod", overrides: { ... } }' : 'write the name as a string, a DNS label such as "staging"',
      }]));
      continue;
    }
    if (seen.has(def.name)) {
      errors.push(new StackConfigError(def.name, [{
        path: 'environments', value: def.name, message: 'is defined twice', fix: 'give each environment its own name',
      }]));
      continue;
    }
    seen.add(def.name);
    try {
      resolved.push(resolveEnvironment(def));
    } catch (e) {
      if (e instanceof StackConfigError) errors.push(e);
      else throw e;
    }
  }
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
        fix: `set argocd.repoURL to the same repository, spelled the same way, in every environment`,
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
