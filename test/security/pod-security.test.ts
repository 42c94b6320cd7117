import type { StackOverrides } from '../../src/config/types';
import { ALL_ENVIRONMENTS, synthEverything } from '../support/environments';
import {
  automountViolations, configChecksums, goMemLimitViolations, missingDisruptionBudgets, podSecurityViolations, podTemplates,
  probeAndResourceViolations, restrictedViolations, rwoUpdateViolations,
} from '../support/security';
import { buildEnv, manifestObjects, objectsOf, type KubeObject } from '../support/synth';
import { MAXIMAL_OVERRIDES } from '../support/maximal';

const result = synthEverything();
const envs = result.builds.map((b) => [b.env.name, manifestObjects(result, b.env.name), b.env.config.common] as const);

/** A minimal compliant pod, which the failure tests below break one field at a time. */
function workload(ns: string, patch: (spec: any) => void = () => undefined, kind = 'Deployment'): KubeObject {
  const spec = {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'app',
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
      livenessProbe: { httpGet: { path: '/', port: 8080 } },
      readinessProbe: { httpGet: { path: '/', port: 8080 } },
    }],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
  patch(spec);
  return { apiVersion: 'apps/v1', kind, metadata: { name: 'w', namespace: ns }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec } } };
}

const NS = { namespace: 'observability', agentNamespace: 'observability-agents' };
const RESTRICTED_NS: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS.namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };

describe.each(envs)('environment %s', (_name, objects, common) => {
  test('has pods to check', () => {
    expect(podTemplates(objects).length).toBeGreaterThan(0);
  });

  test('every pod of the main namespace meets "restricted"; host agents only in the agents namespace; namespace enforces restricted', () => {
    expect(podSecurityViolations(objects, common)).toEqual([]);
  });

  test('no API token is mounted where the ServiceAccount has no Role', () => {
    expect(automountViolations(objects)).toEqual([]);
  });

  test('every container has liveness and readiness probes, requests and limits', () => {
    expect(probeAndResourceViolations(objects)).toEqual([]);
  });

  test('GOMEMLIMIT, where set, stays below the memory limit', () => {
    expect(goMemLimitViolations(objects)).toEqual([]);
  });

  test('single-replica workloads with ReadWriteOnce claims never deadlock on update', () => {
    expect(rwoUpdateViolations(objects)).toEqual([]);
  });

  test('replicated workloads have a PodDisruptionBudget', () => {
    expect(missingDisruptionBudgets(objects)).toEqual([]);
  });
});

describe('config checksums', () => {
  test.each([['dev', {}], ['prod', {}], ['prod', MAXIMAL_OVERRIDES]] as const)('do not change when common.labels change (%s %#)', (profile, base) => {
    const before = configChecksums(objectsOf(buildEnv(profile, base as StackOverrides)));
    const relabelled = configChecksums(objectsOf(buildEnv(profile, { ...base, common: { ...(base as StackOverrides).common, labels: { team: 'other', tier: 'gold' } } } as StackOverrides)));
    expect(Object.keys(before).length).toBeGreaterThan(0);
    expect(relabelled).toEqual(before);
  });

  test('do change when configuration content changes (the comparison can fail)', () => {
    const before = configChecksums(objectsOf(buildEnv('dev')));
    const after = configChecksums(objectsOf(buildEnv('dev', { prometheus: { scrapeInterval: '15s' } })));
    expect(after).not.toEqual(before);
  });
});

describe('the checks fail on a violating object', () => {
  test('a compliant pod passes every check', () => {
    const objects = [RESTRICTED_NS, workload(NS.namespace)];
    expect([
      ...podSecurityViolations(objects, NS), ...automountViolations(objects), ...probeAndResourceViolations(objects),
      ...goMemLimitViolations(objects), ...rwoUpdateViolations(objects),
    ]).toEqual([]);
  });

  test.each([
    ['root', (s: any) => { s.securityContext.runAsUser = 0; }, /runs as uid 0/],
    ['runAsNonRoot missing', (s: any) => { delete s.securityContext.runAsNonRoot; }, /runAsNonRoot/],
    ['seccomp Unconfined', (s: any) => { s.securityContext.seccompProfile.type = 'Unconfined'; }, /seccomp profile Unconfined/],
    ['capabilities kept', (s: any) => { s.containers[0].securityContext.capabilities.drop = []; }, /drop ALL/],
    ['a capability added', (s: any) => { s.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']; }, /adds capabilities SYS_ADMIN/],
    ['privilege escalation', (s: any) => { delete s.containers[0].securityContext.allowPrivilegeEscalation; }, /allowPrivilegeEscalation/],
    ['a writable root filesystem', (s: any) => { s.containers[0].securityContext.readOnlyRootFilesystem = false; }, /writable root/],
    ['privileged', (s: any) => { s.containers[0].securityContext.privileged = true; }, /is privileged/],
    ['a hostPath volume', (s: any) => { s.volumes.push({ name: 'h', hostPath: { path: '/' } }); }, /volume h of type hostPath/],
    ['hostNetwork', (s: any) => { s.hostNetwork = true; }, /hostNetwork/],
    ['hostPID', (s: any) => { s.hostPID = true; }, /hostPID/],
    ['a hostPort', (s: any) => { s.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]; }, /hostPort 80/],
  ])('restricted: %s', (_what, patch, message) => {
    expect(restrictedViolations(podTemplates([workload(NS.namespace, patch)])[0]).join('\n')).toMatch(message);
  });

  test('a host agent outside the agents namespace, and a main namespace without enforce=restricted', () => {
    const agent = workload('observability', (s) => { s.volumes.push({ name: 'h', hostPath: { path: '/var/log' } }); }, 'DaemonSet');
    expect(podSecurityViolations([agent], NS).join('\n')).toMatch(/not labelled .*enforce=restricted[\s\S]*needs host access but is not in observability-agents/);
    const inAgents = workload('observability-agents', (s) => { s.volumes.push({ name: 'h', hostPath: { path: '/var/log' } }); }, 'DaemonSet');
    expect(podSecurityViolations([RESTRICTED_NS, inAgents], NS)).toEqual([]);
  });

  test('a token mounted for an unbound ServiceAccount; none flagged once it is bound', () => {
    const w = workload(NS.namespace, (s) => { s.serviceAccountName = 'sa'; delete s.automountServiceAccountToken; });
    expect(automountViolations([w])).toEqual(['Deployment observability/w: ServiceAccount sa is bound to no Role, but automountServiceAccountToken is not false']);
    const binding: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: NS.namespace }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] };
    expect(automountViolations([w, binding])).toEqual([]);
  });

  test('missing probes and resources', () => {
    const w = workload(NS.namespace, (s) => { delete s.containers[0].livenessProbe; delete s.containers[0].resources.limits.memory; });
    expect(probeAndResourceViolations([w])).toEqual([
      'Deployment observability/w: container app has no livenessProbe',
      'Deployment observability/w: container app has no limits.memory',
    ]);
  });

  test.each([
    ['at the limit', { name: 'GOMEMLIMIT', value: '128MiB' }, /is not below limits.memory "128Mi"/],
    ['above the limit', { name: 'GOMEMLIMIT', value: '1GiB' }, /is not below/],
    ['from the limit itself', { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } }, /equals the limit/],
    ['not a Go size', { name: 'GOMEMLIMIT', value: '100Mi' }, /not a Go memory size/],
  ])('GOMEMLIMIT %s', (_what, env, message) => {
    const w = workload(NS.namespace, (s) => { s.containers[0].env = [env]; });
    expect(goMemLimitViolations([w]).join('\n')).toMatch(message);
    const ok = workload(NS.namespace, (s) => { s.containers[0].env = [{ name: 'GOMEMLIMIT', value: '115MiB' }]; });
    expect(goMemLimitViolations([ok])).toEqual([]);
  });

  test('a rolling Deployment with a ReadWriteOnce claim', () => {
    const pvc: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: NS.namespace }, spec: { accessModes: ['ReadWriteOnce'] } };
    const w = workload(NS.namespace, (s) => { s.volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'data' } }); });
    expect(rwoUpdateViolations([pvc, w])).toEqual(['Deployment observability/w: ReadWriteOnce claim with strategy RollingUpdate (use Recreate or a StatefulSet)']);
    w.spec.strategy = { type: 'Recreate' };
    expect(rwoUpdateViolations([pvc, w])).toEqual([]);
  });

  test('the environments list covers the project environments and the maximal config', () => {
    expect(ALL_ENVIRONMENTS.map((e) => e.name)).toEqual(expect.arrayContaining(['dev', 'prod', 'maximal-dev', 'maximal-prod']));
  });
});
