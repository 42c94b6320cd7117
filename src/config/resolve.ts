/**
 * Turns environment definitions into validated configs: BASE ⊕ profile ⊕ environment overrides, then
 * validation. Unknown keys are refused here (a typo such as `retension` must not be silently ignored).
 */
import { BASE, PROFILES } from './defaults';
import type { EnvironmentDefinition, ResolvedEnvironment, StackConfig, StackOverrides } from './types';
import { ConfigIssue, StackConfigError, validateConfig, validateEnvironmentName } from './validate';

/** Paths whose value is a free-form map (any key allowed). */
const FREE_MAPS: ReadonlySet<string> = new Set([
  'common.labels', 'prometheus.externalLabels', 'networkPolicy.dns.podSelector', 'networkPolicy.ingressController.podSelector',
  'loki.objectStorage.credentials.serviceAccountAnnotations', 'tempo.objectStorage.credentials.serviceAccountAnnotations',
  'grafana.metricsDatasource.headers',
  // Alertmanager (#19): the route tree merges key by key at its root only; template files are a free map.
  'alertmanager.route', 'alertmanager.templates',
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
    issues.push({ path, value: override, message: 'must be an object', fix: `write the fields of ${path} as an object` });
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
  validateEnvironmentName(def.name, issues);
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
  for (const def of defs) {
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
  // dist/ lives in one repository, so every environment's Application reads from the same one.
  const repo = resolved[0]?.config.argocd.repoURL;
  for (const env of resolved.slice(1)) {
    if (env.config.argocd.repoURL !== repo) {
      errors.push(new StackConfigError(env.name, [{
        path: `environments.${env.name}.argocd.repoURL`, value: env.config.argocd.repoURL,
        message: `differs from "${repo}" (environment ${resolved[0].name})`, fix: 'use the one repository that holds dist/ for every environment',
      }]));
    }
  }
  // Two environments synced into the same cluster and namespaces would fight over the same objects.
  const targets = new Map<string, string>();
  for (const env of resolved) {
    const c = env.config;
    for (const ns of [c.common.namespace, c.common.agentNamespace]) {
      const key = `${c.argocd.destinationServer} ${ns}`;
      const other = targets.get(key);
      if (other !== undefined && other !== env.name) {
        errors.push(new StackConfigError(env.name, [{
          path: `environments.${env.name}.argocd.destinationServer`, value: c.argocd.destinationServer,
          message: `deploys namespace "${ns}" to the same cluster as environment ${other}`,
          fix: 'give each environment its own cluster (argocd.destinationServer) or its own namespaces (common.namespace, common.agentNamespace)',
        }]));
        break;
      }
      targets.set(key, env.name);
    }
  }
  if (errors.length > 0) throw StackConfigError.combine(errors);
  return resolved;
}
