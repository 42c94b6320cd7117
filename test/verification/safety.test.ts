import { checkWorkloadSafety, formatProblems, hostAgentExemptions, isPinnedImage } from '../support/checks';
import { CONFIG_LABELS, configNamed } from './configs';
import { brokenObjects, clone } from './helpers';

const exemptionsFor = (label: string) => {
  const c = configNamed(label).config;
  return hostAgentExemptions(c.common.agentNamespace, { cadvisorPrivileged: c.cadvisor.privileged });
};

describe('workload safety (Polaris-style)', () => {
  it.each(CONFIG_LABELS)('%s: every workload passes', (label) => {
    expect(formatProblems(checkWorkloadSafety(configNamed(label).objects, exemptionsFor(label)))).toBe('');
  });

  it('exempts host agents only in the agent namespace and only from listed items', () => {
    // cAdvisor alone (the log agent has exemptions of its own)
    const objects = clone(configNamed('verify-maximal').objects).filter((o) => o.kind !== 'DaemonSet' || o.metadata.name === 'cadvisor');
    // privileged cAdvisor without its exemptions: root, escalation and capabilities are reported
    const bare = checkWorkloadSafety(objects, []).map((p) => p.message.split(':')[0]).sort();
    expect(bare).toEqual(['allowPrivilegeEscalation', 'dropAllCapabilities', 'runAsNonRoot']);
    // the same DaemonSet moved to the servers' namespace gets no exemption
    const moved = clone(objects);
    moved.find((o) => o.kind === 'DaemonSet')!.metadata.namespace = 'observability';
    expect(checkWorkloadSafety(moved, exemptionsFor('verify-maximal')).length).toBe(3);
  });

  it('fails on missing requests, limits and probes', () => {
    const problems = checkWorkloadSafety(brokenObjects('StatefulSet', 'prometheus', (o) => {
      const c = o.spec.template.spec.containers[0];
      delete c.resources.limits.memory;
      delete c.resources.requests.cpu;
      delete c.livenessProbe;
      delete c.readinessProbe;
    }), exemptionsFor('verify-maximal'));
    expect(problems.map((p) => p.message.split(':')[0]).sort()).toEqual(['limits', 'livenessProbe', 'readinessProbe', 'requests']);
    expect(problems[0].object).toBe('StatefulSet observability/prometheus');
  });

  it('fails on :latest and untagged images', () => {
    for (const image of ['quay.io/prometheus/prometheus:latest', 'quay.io/prometheus/prometheus', 'localhost:5000/prom']) {
      const problems = checkWorkloadSafety(brokenObjects('StatefulSet', 'prometheus', (o) => { o.spec.template.spec.containers[0].image = image; }), exemptionsFor('verify-maximal'));
      expect(problems).toEqual([expect.objectContaining({ path: '/spec/template/spec/containers/0/image' })]);
    }
    expect(isPinnedImage('localhost:5000/prom:v1')).toBe(true);
    expect(isPinnedImage('prom@sha256:abc')).toBe(true);
  });

  it('fails on a loosened security context', () => {
    const problems = checkWorkloadSafety(brokenObjects('StatefulSet', 'prometheus', (o) => {
      o.spec.template.spec.securityContext.runAsNonRoot = false;
      o.spec.template.spec.containers[0].securityContext = { capabilities: { drop: ['NET_RAW'] } };
    }), exemptionsFor('verify-maximal'));
    expect(problems.map((p) => p.message.split(':')[0]).sort()).toEqual(['allowPrivilegeEscalation', 'dropAllCapabilities', 'readOnlyRootFilesystem', 'runAsNonRoot']);
  });

  it('fails when a pod mounts the token of a ServiceAccount bound to no role', () => {
    const problems = checkWorkloadSafety(brokenObjects('DaemonSet', 'cadvisor', (o) => { o.spec.template.spec.automountServiceAccountToken = true; }), exemptionsFor('verify-maximal'));
    expect(problems).toEqual([expect.objectContaining({ path: '/spec/template/spec/automountServiceAccountToken', message: expect.stringContaining('bound to no role') })]);
  });
});
