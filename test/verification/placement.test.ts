/**
 * Pod placement and metadata in the maximal config, where every component sets `pods` and `common` sets
 * annotations: every pod template of the output carries them, next to the stack's own (the node agents
 * still tolerate every taint, node-exporter still selects Linux nodes, replicas still spread), and every
 * object carries `common.annotations`.
 */
import { checkPodSettings, formatProblems } from '../support/checks';
import { MAXIMAL_PODS } from '../support/maximal';
import { configNamed } from './configs';
import { brokenObjects } from './helpers';

const maximal = () => configNamed('verify-maximal');

describe('pod placement and metadata (verify-maximal)', () => {
  it('every pod template carries the components\' pods settings and common.annotations', () => {
    const c = maximal();
    const templates = c.objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
    expect(templates.length).toBeGreaterThan(8);
    expect(formatProblems(checkPodSettings(c.objects, MAXIMAL_PODS, c.config.common.annotations))).toBe('');
  });

  it('keeps the stack\'s own placement next to the user\'s', () => {
    const c = maximal();
    const ds = (name: string) => c.objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === name)!.spec.template.spec;
    expect(ds('node-exporter').nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', ...MAXIMAL_PODS.nodeSelector });
    expect(ds('cadvisor').tolerations).toEqual([{ operator: 'Exists' }, ...MAXIMAL_PODS.tolerations]);
    const write = c.objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'tempo')!.spec.template.spec;
    expect(write.affinity.nodeAffinity).toEqual(MAXIMAL_PODS.affinity.nodeAffinity);
  });

  it('puts common.annotations on every object, and never touches selectors or claim templates', () => {
    const c = maximal();
    const [[key, value]] = Object.entries(c.config.common.annotations);
    for (const o of c.objects) expect(`${o.kind} ${o.metadata.name}: ${o.metadata.annotations?.[key]}`).toBe(`${o.kind} ${o.metadata.name}: ${value}`);
    for (const o of c.objects.filter((x) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(x.kind))) {
      expect(Object.keys(o.spec.selector.matchLabels).every((k) => k.startsWith('app.kubernetes.io/'))).toBe(true);
      for (const claim of o.spec.volumeClaimTemplates ?? []) expect(claim.metadata.labels ?? {}).not.toHaveProperty(Object.keys(MAXIMAL_PODS.labels)[0]);
    }
  });

  it('fails on a pod template without the settings (the check can fail)', () => {
    const objects = brokenObjects('StatefulSet', 'prometheus', (o) => {
      delete o.spec.template.spec.nodeSelector;
      o.spec.template.spec.tolerations = [];
      delete o.spec.template.metadata.labels['example.com/tier'];
      o.spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = [];
    });
    expect(checkPodSettings(objects, MAXIMAL_PODS).map((p) => `${p.object} ${p.path}`)).toEqual([
      'StatefulSet observability/prometheus /spec/template/spec/nodeSelector',
      'StatefulSet observability/prometheus /spec/template/spec/tolerations',
      'StatefulSet observability/prometheus /spec/template/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution',
      'StatefulSet observability/prometheus /spec/template/metadata/labels',
    ]);
  });
});
