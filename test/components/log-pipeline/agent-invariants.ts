/**
 * Invariants every log agent must hold, shared by the Promtail and Alloy tests so both agents are held to
 * the same bar: node-local discovery, push to the Loki Service, positions on the host, least privilege.
 */
import { AGENT_STATE_HOST_ROOT } from '../../../src/components/log-pipeline/agent-pod';
import { POD_LOGS_ROOT } from '../../../src/components/log-pipeline/log-pipeline';
import { LOKI_API_PATHS } from '../../../src/components/loki/endpoints';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';

export function agentInvariants(agent: 'promtail' | 'alloy', read: { pushUrl: (objects: ReturnType<typeof objectsOf>) => string; stateMount: string }): void {
  const AGENTS_NS = 'observability-agents';

  describe.each(['dev', 'prod'] as const)(`${agent} (%s)`, (profile) => {
    const build = buildEnv(profile, { logAgent: agent });
    const objects = objectsOf(build);
    const ds = find(objects, 'DaemonSet', agent, AGENTS_NS);
    const pod = ds.spec.template.spec;
    const c = pod.containers[0];

    it('is the only log agent synthesized', () => {
      const other = agent === 'promtail' ? 'alloy' : 'promtail';
      expect(build.charts.map((ch) => ch.node.id)).toEqual(expect.arrayContaining(['loki', agent]));
      expect(build.charts.map((ch) => ch.node.id)).not.toContain(other);
    });

    it('pushes to the Loki Service on its HTTP port, and the wire says so', () => {
      const loki = find(objects, 'Service', build.endpoints.loki.http.service, build.endpoints.loki.http.namespace);
      const url = new URL(read.pushUrl(objects));
      expect(url.hostname).toBe(`${loki.metadata.name}.${loki.metadata.namespace}.svc`);
      expect(loki.spec.ports.map((p: { port: number }) => p.port)).toContain(Number(url.port));
      const lokiHttp = configMapYaml(objects, 'loki', 'loki.yaml').server.http_listen_port;
      expect(Number(url.port)).toBe(lokiHttp);
      expect(url.pathname).toBe(LOKI_API_PATHS.push);
      expect(build.wires).toContainEqual({ from: agent, to: build.endpoints.loki.http, kind: 'push', purpose: 'pushes container logs' });
    });

    it('keeps its read positions on a host directory of its own', () => {
      const state = pod.volumes.find((v: { name: string }) => v.name === 'state');
      expect(state.hostPath).toEqual({ path: `${AGENT_STATE_HOST_ROOT}/${AGENTS_NS}/${agent}`, type: 'DirectoryOrCreate' });
      expect(c.volumeMounts).toContainEqual({ name: 'state', mountPath: read.stateMount });
    });

    it('reads pod logs read-only from the host, and nothing else of the host', () => {
      const hostVolumes = pod.volumes.filter((v: { hostPath?: unknown }) => v.hostPath !== undefined).map((v: { name: string }) => v.name).sort();
      expect(hostVolumes).toEqual(['pod-logs', 'state']);
      expect(c.volumeMounts).toContainEqual({ name: 'pod-logs', mountPath: POD_LOGS_ROOT, readOnly: true });
    });

    it('learns its node name from the downward API, and keeps its Go heap under the memory limit', () => {
      expect(c.env[0]).toEqual({ name: 'HOSTNAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } });
      expect(c.env[1].name).toBe('GOMEMLIMIT');
      expect(c.env).toHaveLength(2);
    });

    it('runs as root with every capability dropped, no escalation, a read-only root, runtime-default seccomp', () => {
      expect(pod.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(pod.hostNetwork).toBeUndefined();
      expect(pod.hostPID).toBeUndefined();
    });

    it('may only read pods from the API, and gets a token because it calls the API', () => {
      const role = find(objects, 'ClusterRole', `${AGENTS_NS}-${agent}`);
      expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
      expect(pod.automountServiceAccountToken).toBe(true);
      const binding = find(objects, 'ClusterRoleBinding', `${AGENTS_NS}-${agent}`);
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: pod.serviceAccountName, namespace: AGENTS_NS }]);
    });

    it('has requests, limits, probes and runs on every node', () => {
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
      expect(c.readinessProbe.httpGet.port).toBe(build.endpoints[agent].http.portName);
      expect(c.livenessProbe).toBeDefined();
      expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    });

    it('is scraped by Prometheus on its metrics port', () => {
      const prom = configMapYaml(objects, 'prometheus', 'prometheus.yaml');
      const job = prom.scrape_configs.find((j: { job_name: string }) => j.job_name === agent);
      expect(job.kubernetes_sd_configs[0].namespaces.names).toEqual([AGENTS_NS]);
      expect(job.kubernetes_sd_configs[0].selectors[0].label).toBe(`app.kubernetes.io/name=${agent}`);
      expect(c.ports).toEqual([{ name: build.endpoints[agent].http.portName, containerPort: build.endpoints[agent].http.port, protocol: 'TCP' }]);
      expect(build.wires).toContainEqual(expect.objectContaining({ from: 'prometheus', to: build.endpoints[agent].http, kind: 'scrape' }));
    });
  });

  it(`${agent}: a config change rolls the DaemonSet, a label change does not`, () => {
    const checksum = (o = {}) => find(objectsOf(buildEnv('dev', { logAgent: agent, ...o })), 'DaemonSet', agent).spec.template.metadata.annotations['checksum/config'];
    const base = checksum();
    expect(checksum({ common: { labels: { team: 'x' } } })).toBe(base);
    expect(checksum({ loki: { tenant: 'team-a' } })).not.toBe(base);
  });
}
