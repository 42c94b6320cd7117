/**
 * The configurations every verification check runs over: each environment of ENVIRONMENTS (the `large`
 * one included), a minimal config (every optional component off), a maximal one (every option on), and a
 * variant of `large` with the other object stores. A component merged later
 * shows up in these builds, and so in every check, without touching this file.
 */
import { ENVIRONMENTS } from '../../src/config/environments';
import { resolveEnvironment } from '../../src/config/resolve';
import type { EnvironmentDefinition, StackConfig } from '../../src/config/types';
import type { UserSecret } from '../../src/lib/user-secrets';
import type { Wire } from '../../src/lib/wiring';
import type { StackBuild } from '../../src/stack';
import { MAXIMAL } from '../support/maximal';
import { runCached } from '../support/run-cache';
import { type KubeObject, buildEnv, objectsOf } from '../support/synth';

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
    nodeExporter: { enabled: false },
    kubeStateMetrics: { enabled: false },
    kubernetes: { kubelet: { metrics: false, cadvisor: false, probes: false }, apiServer: { enabled: false }, coredns: { enabled: false } },
    otlpGateway: { enabled: false },
  },
};

/** The shared maximal config (test/support/maximal.ts, also used by the security tests) on the prod profile. */
export { MAXIMAL };

/**
 * The `large` environment is in ENVIRONMENTS (S3 with a Secret). This variant covers the other object
 * stores and credential sources: Loki on GCS with workload identity, Tempo on Azure with a Secret, an
 * in-cluster S3-compatible store for nothing else, bearer-token remote write and a tenant header.
 */
export const LARGE_VARIANT: EnvironmentDefinition = {
  name: 'verify-large-gcs-azure',
  profile: 'large',
  overrides: {
    loki: {
      objectStorage: {
        type: 'gcs', bucket: 'obs-loki', endpoint: '',
        credentials: { source: 'workloadIdentity', serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'loki@project.iam.gserviceaccount.com' } },
      },
    },
    tempo: {
      objectStorage: { type: 'azure', bucket: 'obs-tempo', endpoint: '', accountName: 'obsstack', credentials: { source: 'secret', secretName: 'tempo-azure' } },
    },
    prometheus: {
      remoteWrite: [{
        name: 'thanos', url: 'http://thanos-receive.thanos.svc:19291/api/v1/receive',
        headers: { 'THANOS-TENANT': 'team-a' }, bearerToken: { secretName: 'thanos-token', tokenKey: 'token' },
        queue: { capacity: 20000, maxShards: 10, maxSamplesPerSend: 4000 },
        writeRelabelConfigs: [{ sourceLabels: ['__name__'], regex: 'go_.*', action: 'drop' }],
      }],
    },
    grafana: { metricsDatasource: { url: 'http://thanos-query.thanos.svc:9090', type: 'Thanos', headers: {} } },
  },
};

export interface VerifiedConfig {
  readonly label: string;
  readonly config: StackConfig;
  /** The build itself, made in this test file on first use (the other fields come from the run cache). */
  readonly build: StackBuild;
  readonly objects: KubeObject[];
  readonly wires: readonly Wire[];
  readonly userSecrets: UserSecret[];
}

let cache: VerifiedConfig[] | undefined;

/** Every environment plus minimal and maximal, built once per test run (test/support/run-cache.ts). */
export function verifiedConfigs(): VerifiedConfig[] {
  cache ??= [...ENVIRONMENTS, MINIMAL, MAXIMAL, LARGE_VARIANT].map((def) => {
    const config = resolveEnvironment(def).config;
    const data = runCached(`verified-${def.name}`, () => {
      const { userSecrets } = require('../../src/lib/user-secrets') as typeof import('../../src/lib/user-secrets');
      const build = buildEnv(def.profile, def.overrides, def.name);
      return { objects: objectsOf(build), wires: build.wires, userSecrets: userSecrets(config) };
    });
    let build: StackBuild | undefined;
    return {
      label: def.name,
      config,
      ...data,
      get build(): StackBuild {
        build ??= buildEnv(def.profile, def.overrides, def.name);
        return build;
      },
    };
  });
  return cache;
}

export const CONFIG_LABELS: readonly string[] = [...ENVIRONMENTS.map((e) => e.name), MINIMAL.name, MAXIMAL.name, LARGE_VARIANT.name];

export function configNamed(label: string): VerifiedConfig {
  const c = verifiedConfigs().find((x) => x.label === label);
  if (!c) throw new Error(`no verified config ${label}`);
  return c;
}
