import { alloyArgs, ALLOY_PATHS } from '../../../src/components/alloy/alloy';
import { alloyString, formatAlloy } from '../../../src/components/alloy/alloy-config';
import { toYaml } from '../../../src/lib/yaml';
import { buildEnv, find, objectsOf } from '../../support/synth';
import { agentInvariants } from '../log-pipeline/agent-invariants';
import { parseAlloy } from '../log-pipeline/pipeline-eval';

const NS = 'observability-agents';
const alloyText = (objects: ReturnType<typeof objectsOf>): string => find(objects, 'ConfigMap', 'alloy', NS).data['config.alloy'];

agentInvariants('alloy', {
  pushUrl: (objects) => {
    const write = parseAlloy(alloyText(objects)).find((b) => b.name === 'loki.write')!;
    return write.blocks[0].attrs.url as string;
  },
  stateMount: ALLOY_PATHS.storageDir,
});

describe('Alloy specifics', () => {
  const objects = objectsOf(buildEnv('dev', { logAgent: 'alloy' }));
  const ds = find(objects, 'DaemonSet', 'alloy', NS);

  it('keeps component state (loki.source.file positions) under --storage.path, the hostPath mount', () => {
    expect(ds.spec.template.spec.containers[0].args).toEqual(alloyArgs(12345));
    expect(alloyArgs(12345)).toContain(`--storage.path=${ALLOY_PATHS.storageDir}`);
    expect(alloyArgs(12345)).toContain('--disable-reporting');
  });

  it('wires discovery → relabel → file match → tail → process → write', () => {
    const doc = parseAlloy(alloyText(objects));
    const byName = Object.fromEntries(doc.map((b) => [b.name, b]));
    expect(doc.map((b) => b.name)).toEqual(['discovery.kubernetes', 'discovery.relabel', 'local.file_match', 'loki.source.file', 'loki.process', 'loki.write']);
    const ref = (b: string, k: string) => byName[b].attrs[k];
    expect(ref('discovery.relabel', 'targets')).toEqual({ ref: 'discovery.kubernetes.pods.targets' });
    expect(ref('local.file_match', 'path_targets')).toEqual({ ref: 'discovery.relabel.pod_logs.output' });
    expect(ref('loki.source.file', 'targets')).toEqual({ ref: 'local.file_match.pod_logs.targets' });
    expect(ref('loki.source.file', 'forward_to')).toEqual([{ ref: 'loki.process.pod_logs.receiver' }]);
    expect(ref('loki.process', 'forward_to')).toEqual([{ ref: 'loki.write.loki.receiver' }]);
  });

  it('sends the tenant when Loki is multi-tenant, and none otherwise', () => {
    const endpoint = (o: ReturnType<typeof objectsOf>) => parseAlloy(alloyText(o)).find((b) => b.name === 'loki.write')!.blocks[0];
    expect(endpoint(objects).attrs.tenant_id).toBeUndefined();
    expect(endpoint(objectsOf(buildEnv('dev', { logAgent: 'alloy', loki: { tenant: 'team-a' } }))).attrs.tenant_id).toBe('team-a');
  });

  it('indents without tabs, so the ConfigMaps (agent and OTLP gateway) hold their configs as literal blocks a reviewer can read', () => {
    for (const text of [alloyText(objects), find(objects, 'ConfigMap', 'otlp-gateway', 'observability').data['config.alloy']]) {
      expect(text).not.toContain('\t');
      expect(toYaml({ 'config.alloy': text })).toMatch(/^config\.alloy: \|\n {2}\/\/ /);
    }
  });

  it('quotes strings safely and prints empty blocks and nested objects', () => {
    expect(alloyString('a"b\\c')).toBe('"a\\"b\\\\c"');
    const text = formatAlloy([{ kind: 'block', name: 'x', label: 'y', body: [{ kind: 'block', name: 'stage.cri', body: [] }, { kind: 'attr', name: 'm', value: { 'a-b': 'c' } }] }]);
    expect(text).toBe('x "y" {\n  stage.cri { }\n  m = {\n    "a-b" = "c",\n  }\n}\n');
    expect(parseAlloy(text)[0]).toEqual({ name: 'x', label: 'y', attrs: { m: { 'a-b': 'c' } }, blocks: [{ name: 'stage.cri', attrs: {}, blocks: [] }] });
  });
});
