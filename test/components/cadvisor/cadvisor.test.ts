import { buildEnv, find } from '../../support/synth';
import { CADVISOR_WHITELISTED_LABELS } from '../../../src/components/cadvisor/cadvisor';

function cadvisorChart(overrides = {}) {
  return buildEnv('dev', overrides).charts.find((c) => c.node.id === 'cadvisor')!.toJson();
}

describe('cAdvisor', () => {
  test('matches the snapshot', () => {
    expect(cadvisorChart()).toMatchSnapshot();
  });

  test('runs on every node, in the agents namespace, without privileges by default', () => {
    const ds = find(cadvisorChart(), 'DaemonSet', 'cadvisor', 'observability-agents');
    const pod = ds.spec.template.spec;
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.containers[0].securityContext).toMatchObject({ privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.volumes.every((v: any) => v.hostPath)).toBe(true);
    expect(pod.containers[0].volumeMounts.every((m: any) => m.readOnly)).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('turns CRI labels into namespace/pod/container, with no space in the whitelist', () => {
    const args: string[] = find(cadvisorChart(), 'DaemonSet', 'cadvisor').spec.template.spec.containers[0].args;
    const whitelist = args.find((a) => a.startsWith('--whitelisted_container_labels='))!;
    expect(whitelist).toBe(`--whitelisted_container_labels=${CADVISOR_WHITELISTED_LABELS.join(',')}`);
    expect(whitelist).not.toMatch(/\s/);
    expect(args).toContain('--store_container_labels=false');
    expect(args).toContain('--docker_only=false');
    expect(args).toContain('--containerd=/run/containerd/containerd.sock');
    expect(args).toContain('--enable_metrics=cpu,memory,network,disk,diskIO');
  });

  test('reads OOM events only when privileged', () => {
    const pod = find(cadvisorChart({ cadvisor: { privileged: true } }), 'DaemonSet', 'cadvisor').spec.template.spec;
    expect(pod.containers[0].securityContext.privileged).toBe(true);
    expect(pod.containers[0].args).toContain('--enable_metrics=cpu,memory,network,disk,diskIO,oom_event');
    expect(pod.volumes.map((v: any) => v.hostPath.path)).toContain('/dev/kmsg');
  });

  test('follows the k3s containerd socket when configured', () => {
    const args: string[] = find(cadvisorChart({ cadvisor: { containerdSocket: '/run/k3s/containerd/containerd.sock' } }), 'DaemonSet', 'cadvisor').spec.template.spec.containers[0].args;
    expect(args).toContain('--containerd=/run/k3s/containerd/containerd.sock');
  });

  test('is absent when disabled, and Prometheus drops its job', () => {
    const build = buildEnv('dev', { cadvisor: { enabled: false } });
    expect(build.charts.map((c) => c.node.id)).not.toContain('cadvisor');
  });
});
