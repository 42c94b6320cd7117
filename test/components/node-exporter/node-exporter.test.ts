import {
  NODE_EXPORTER_COLLECTORS, NODE_EXPORTER_FS_TYPES_EXCLUDE, NODE_EXPORTER_MOUNT_POINTS_EXCLUDE, NODE_EXPORTER_NETDEV_EXCLUDE,
} from '../../../src/components/node-exporter/node-exporter';
import type { StackOverrides } from '../../../src/config/types';
import { errorOf } from '../../support/config-errors';
import { buildEnv, configMapYaml, find, objectsOf, type KubeObject } from '../../support/synth';

const chart = (overrides?: StackOverrides): KubeObject[] => buildEnv('dev', overrides).charts.find((c) => c.node.id === 'node-exporter')!.toJson() as KubeObject[];
const daemonSet = (overrides?: StackOverrides) => find(chart(overrides), 'DaemonSet', 'node-exporter', 'observability-agents');
const full = (re: string) => new RegExp(re);

describe('node-exporter', () => {
  test('runs on every node in the agents namespace, with the node\'s network and PIDs, as nobody', () => {
    const pod = daemonSet().spec.template.spec;
    expect([pod.hostNetwork, pod.hostPID, pod.automountServiceAccountToken]).toEqual([true, true, false]);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.containers[0].image).toBe('quay.io/prometheus/node-exporter:v1.12.1');
  });

  test('mounts /proc, /sys and / read-only, the root with host-to-container propagation', () => {
    const c = daemonSet().spec.template.spec.containers[0];
    expect(c.volumeMounts).toEqual([
      { name: 'proc', mountPath: '/host/proc', readOnly: true },
      { name: 'sys', mountPath: '/host/sys', readOnly: true },
      { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
    ]);
  });

  test('keeps only the collectors the dashboards and alerts read, listening on the node address', () => {
    const args: string[] = daemonSet().spec.template.spec.containers[0].args;
    expect(args).toContain('--collector.disable-defaults');
    expect(args.filter((a) => /^--collector\.[a-z_]+$/.test(a)).map((a) => a.slice('--collector.'.length))).toEqual([...NODE_EXPORTER_COLLECTORS].sort());
    expect(args).toContain('--web.listen-address=[$(HOST_IP)]:9100');
    expect(args.some((a) => a.startsWith('--collector.textfile'))).toBe(false);
    const env = daemonSet().spec.template.spec.containers[0].env;
    expect(env[0]).toEqual({ name: 'HOST_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.hostIP' } } });
  });

  test('turns the textfile collector on only with a directory, mounted read-only', () => {
    const ds = daemonSet({ nodeExporter: { textfileDirectory: '/var/lib/node-exporter/textfile' } });
    const c = ds.spec.template.spec.containers[0];
    expect(c.args).toEqual(expect.arrayContaining(['--collector.textfile', '--collector.textfile.directory=/host/textfile']));
    expect(c.volumeMounts).toContainEqual({ name: 'textfile', mountPath: '/host/textfile', readOnly: true });
    expect(ds.spec.template.spec.volumes).toContainEqual({ name: 'textfile', hostPath: { path: '/var/lib/node-exporter/textfile', type: 'Directory' } });
  });

  test('skips per-pod mounts and pseudo filesystems, keeps the node\'s own (upstream defaults kept)', () => {
    const mounts = full(NODE_EXPORTER_MOUNT_POINTS_EXCLUDE);
    for (const excluded of ['/proc', '/sys/fs/cgroup', '/dev/shm', '/var/lib/kubelet/pods/0a1b/volumes/kubernetes.io~projected/token',
      '/run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs', '/run/k3s/containerd/io.containerd.grpc.v1.cri/sandboxes/x/shm',
      '/var/lib/docker/overlay2/x/merged', '/run/credentials/systemd-tmpfiles-setup.service']) expect([excluded, mounts.test(excluded)]).toEqual([excluded, true]);
    for (const kept of ['/', '/var', '/boot', '/var/lib/kubelet', '/run', '/mnt/data']) expect([kept, mounts.test(kept)]).toEqual([kept, false]);
    const types = full(NODE_EXPORTER_FS_TYPES_EXCLUDE);
    for (const t of ['overlay', 'proc', 'sysfs', 'cgroup2', 'nsfs', 'squashfs']) expect([t, types.test(t)]).toEqual([t, true]);
    for (const t of ['ext4', 'xfs', 'btrfs', 'tmpfs', 'vfat']) expect([t, types.test(t)]).toEqual([t, false]);
    const devices = full(NODE_EXPORTER_NETDEV_EXCLUDE);
    for (const d of ['lo', 'veth12ab', 'cali0f3', 'lxc9a', 'cilium_host', 'flannel.1', 'cni0']) expect([d, devices.test(d)]).toEqual([d, true]);
    for (const d of ['eth0', 'ens5', 'enp0s31f6', 'bond0', 'wlan0']) expect([d, devices.test(d)]).toEqual([d, false]);
  });

  test('is scraped once per node, with the node as node and instance', () => {
    const job = configMapYaml(objectsOf(buildEnv('dev')), 'prometheus', 'prometheus.yaml').scrape_configs.find((j: { job_name: string }) => j.job_name === 'node-exporter');
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: ['observability-agents'] }, selectors: [{ role: 'pod', label: 'app.kubernetes.io/name=node-exporter' }] }]);
    expect(job.relabel_configs.filter((r: { target_label?: string }) => r.target_label).map((r: { target_label: string }) => r.target_label)).toEqual(['node', 'instance']);
  });

  test('can be switched off: no chart, no scrape job, no rule or dashboard reading it', () => {
    const build = buildEnv('dev', { nodeExporter: { enabled: false } });
    expect(build.charts.map((c) => c.node.id)).not.toContain('node-exporter');
    const objects = objectsOf(build);
    expect(JSON.stringify(configMapYaml(objects, 'prometheus', 'prometheus.yaml'))).not.toContain('node-exporter');
    expect(Object.values(find(objects, 'ConfigMap', 'prometheus-rules').data).join('\n')).not.toMatch(/\bnode_(cpu|memory|filesystem|load|disk|network|pressure|vmstat|uname|boot)/);
    expect(objects.some((o) => o.metadata.name === 'grafana-dashboard-kubernetes-nodes')).toBe(false);
  });

  test.each([
    [{ nodeExporter: { port: 80 } }, /nodeExporter\.port: 80 is not an unprivileged port; use an integer from 1024 to 65535 \(the stack runs as non-root\), e\.g\. 9100/],
    [{ nodeExporter: { textfileDirectory: 'textfile' } }, /nodeExporter\.textfileDirectory: "textfile" is not an absolute path on the node/],
    [{ nodeExporter: { textfileDirectory: '/var/../etc' } }, /nodeExporter\.textfileDirectory: "\/var\/\.\.\/etc" is the node's root or climbs out of its folder/],
    [{ nodeExporter: { image: { tag: 'latest' } } }, /nodeExporter\.image\.tag: "latest" is not pinned/],
    [{ nodeExporter: { enabled: 'yes' } }, /nodeExporter\.enabled: "yes" must be true or false/],
  ])('fails on bad config %#, naming the path, the value and the fix', (overrides, message) => {
    expect(errorOf(overrides as StackOverrides)).toMatch(message);
  });
});
