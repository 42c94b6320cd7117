/**
 * The `pods` and `common.annotations` passes: how the user's placement merges with the stack's own, that
 * it reaches every pod of the component (and no other component's), and that empty settings change nothing.
 */
import { POD_DEFAULTS } from '../../src/config/pods';
import type { AffinitySpec } from '../../src/config/types';
import { mergeAffinity } from '../../src/lib/pod-settings';
import { buildEnv, objectsOf } from '../support/synth';

const arch = { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In' as const, values: ['amd64'] }] };
const zone = { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: ['a'] }] };

describe('pod settings', () => {
  it('merge affinity: required node terms both hold, term lists are appended after the stack\'s', () => {
    const stack = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [arch] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] },
    };
    const user: AffinitySpec = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [zone, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: 'example.com/rack' } }] },
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] },
    };
    expect(mergeAffinity(stack, user)).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [...arch.matchExpressions, ...zone.matchExpressions] },
            { matchExpressions: arch.matchExpressions, matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] },
          ],
        },
      },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [...stack.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution, ...user.podAntiAffinity!.preferredDuringSchedulingIgnoredDuringExecution!] },
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: user.podAffinity!.requiredDuringSchedulingIgnoredDuringExecution },
    });
    expect(mergeAffinity(undefined, {})).toEqual({});
    expect(mergeAffinity(stack, {})).toEqual(stack);
  });

  it('reach every pod of the component and no other\'s; the user\'s node selector key wins', () => {
    const pods = { ...POD_DEFAULTS, nodeSelector: { pool: 'obs', 'kubernetes.io/os': 'linux' }, labels: { tier: 'obs' } };
    const objects = objectsOf(buildEnv('large', { loki: { pods }, nodeExporter: { pods: { ...POD_DEFAULTS, nodeSelector: { 'kubernetes.io/os': 'windows' } } } }));
    const templates = objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
    const loki = templates.filter((o) => o.spec.template.metadata.labels['app.kubernetes.io/name'] === 'loki');
    expect(loki.map((o) => o.metadata.name).sort()).toEqual(['loki-backend', 'loki-read', 'loki-write']);
    for (const o of loki) {
      expect(o.spec.template.spec.nodeSelector).toEqual(pods.nodeSelector);
      expect(o.spec.template.metadata.labels.tier).toBe('obs');
      expect(o.spec.selector.matchLabels.tier).toBeUndefined();
    }
    for (const o of templates.filter((t) => !loki.includes(t))) expect(o.spec.template.metadata.labels.tier).toBeUndefined();
    expect(templates.find((o) => o.metadata.name === 'node-exporter')!.spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'windows' });
  });

  it('change nothing when empty', () => {
    const plain = objectsOf(buildEnv('prod'));
    const empty = objectsOf(buildEnv('prod', { prometheus: { pods: POD_DEFAULTS }, common: { annotations: {} } }));
    expect(empty).toEqual(plain);
  });
});
