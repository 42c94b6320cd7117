/**
 * The configurations every verification check runs over: each environment of ENVIRONMENTS, a minimal
 * config (every optional component off) and a maximal one (every option on). A component merged later
 * shows up in these builds, and so in every check, without touching this file.
 */
import { ENVIRONMENTS } from '../../src/config/environments';
import { resolveEnvironment } from '../../src/config/resolve';
import type { EnvironmentDefinition, StackConfig } from '../../src/config/types';
import { userSecrets, type UserSecret } from '../../src/lib/user-secrets';
import { buildStack, type StackBuild } from '../../src/stack';
import { MAXIMAL } from '../support/maximal';
import { type KubeObject, objectsOf } from '../support/synth';

export const MINIMAL: EnvironmentDefinition = {
  name: 'verify-minimal',
  profile: 'dev',
  overrides: {
    cadvisor: { enabled: false },
    loki: { enabled: false },
    tempo: { enabled: false },
    grafana: { enabled: false },
    alerts: { enabled: false },
    demo: { enabled: false },
  },
};

/** The shared maximal config (test/support/maximal.ts, also used by the security tests) on the prod profile. */
export { MAXIMAL };

export interface VerifiedConfig {
  readonly label: string;
  readonly config: StackConfig;
  readonly build: StackBuild;
  readonly objects: KubeObject[];
  readonly userSecrets: UserSecret[];
}

let cache: VerifiedConfig[] | undefined;

/** Every environment plus minimal and maximal, built once per test file. */
export function verifiedConfigs(): VerifiedConfig[] {
  cache ??= [...ENVIRONMENTS, MINIMAL, MAXIMAL].map((def) => {
    const env = resolveEnvironment(def);
    const build = buildStack(env);
    return { label: def.name, config: env.config, build, objects: objectsOf(build), userSecrets: userSecrets(env.config) };
  });
  return cache;
}

export const CONFIG_LABELS: readonly string[] = [...ENVIRONMENTS.map((e) => e.name), MINIMAL.name, MAXIMAL.name];

export function configNamed(label: string): VerifiedConfig {
  const c = verifiedConfigs().find((x) => x.label === label);
  if (!c) throw new Error(`no verified config ${label}`);
  return c;
}
