import { resolveEnvironment } from '../../src/config/resolve';
import { errorOf } from '../support/config-errors';

describe('config validation: network policies and priority', () => {
  const cases: Array<[string, Record<string, unknown>, string, string, string]> = [
    ['an empty DNS selector', { networkPolicy: { dns: { podSelector: {} } } }, 'networkPolicy.dns.podSelector', '{}', '"k8s-app": "kube-dns"'],
    ['an invalid DNS selector label', { networkPolicy: { dns: { podSelector: { 'k8s app': 'dns' } } } }, 'networkPolicy.dns.podSelector.k8s app', '"k8s app"', 'e.g. "team"'],
    ['a DNS port out of range', { networkPolicy: { dns: { port: 70000 } } }, 'networkPolicy.dns.port', '70000', 'e.g. 53'],
    ['a DNS namespace that is not a DNS label', { networkPolicy: { dns: { namespace: 'Kube System' } } }, 'networkPolicy.dns.namespace', '"Kube System"', 'kube-system'],
    ['an API server CIDR without prefix', { networkPolicy: { kubeApiServer: { cidrs: ['10.0.0.1'] } } }, 'networkPolicy.kubeApiServer.cidrs[0]', '"10.0.0.1"', '"172.18.0.2/32"'],
    ['an API server CIDR with a bad octet', { networkPolicy: { kubeApiServer: { cidrs: ['10.0.0.300/32'] } } }, 'networkPolicy.kubeApiServer.cidrs[0]', '"10.0.0.300/32"', 'is not a CIDR'],
    ['no API server CIDR', { networkPolicy: { kubeApiServer: { cidrs: [] } } }, 'networkPolicy.kubeApiServer.cidrs', '[]', '["0.0.0.0/0"]'],
    ['no API server port', { networkPolicy: { kubeApiServer: { ports: [] } } }, 'networkPolicy.kubeApiServer.ports', '[]', '[443, 6443]'],
    ['an API server port of 0', { networkPolicy: { kubeApiServer: { ports: [0] } } }, 'networkPolicy.kubeApiServer.ports[0]', '0', 'e.g. 6443'],
    ['an ingress controller namespace with capitals', { networkPolicy: { ingressController: { namespace: 'Ingress' } } }, 'networkPolicy.ingressController.namespace', '"Ingress"', 'ingress-nginx'],
    ['network policies switched with a string', { networkPolicy: { enabled: 'no' } }, 'networkPolicy.enabled', '"no"', 'true or false'],
    ['an unknown network policy option', { networkPolicy: { egressAll: true } }, 'networkPolicy.egressAll', 'true', 'use one of'],
    ['a PriorityClass to create without a name', { common: { priorityClass: { create: true } } }, 'common.priorityClass.create', 'true', 'common.priorityClassName'],
    ['a PriorityClass named system-*', { common: { priorityClassName: 'system-obs', priorityClass: { create: true } } }, 'common.priorityClassName', '"system-obs"', 'observability-critical'],
    ['a priority in the system range', { common: { priorityClass: { value: 2000000000 } } }, 'common.priorityClass.value', '2000000000', 'e.g. 1000000'],
    ['a negative priority', { common: { priorityClass: { value: -1 } } }, 'common.priorityClass.value', '-1', 'e.g. 1000000'],
    ['an unknown preemption policy', { common: { priorityClass: { preemptionPolicy: 'Always' } } }, 'common.priorityClass.preemptionPolicy', '"Always"', '"Never"'],
  ];

  test.each(cases)('fails on %s, naming the path, the value and the fix', (_what, overrides, path, value, fix) => {
    const message = errorOf(overrides);
    expect(message).toContain(`${path}: ${value}`);
    expect(message).toContain(fix);
  });

  test('replaces (does not merge) the DNS and ingress controller selectors', () => {
    const env = resolveEnvironment({ name: 't', profile: 'dev', overrides: { networkPolicy: { dns: { podSelector: { app: 'coredns' } } } } });
    expect(env.config.networkPolicy.dns.podSelector).toEqual({ app: 'coredns' });
  });
});
