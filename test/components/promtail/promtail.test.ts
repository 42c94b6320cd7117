import { load } from 'js-yaml';
import { escapeForExpandEnv } from '../../../src/components/promtail/promtail-config';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';
import { agentInvariants } from '../log-pipeline/agent-invariants';
import { envsubst } from '../log-pipeline/pipeline-eval';

const NS = 'observability-agents';

agentInvariants('promtail', {
  pushUrl: (objects) => configMapYaml(objects, 'promtail', 'promtail.yaml', NS).clients[0].url,
  stateMount: '/var/lib/promtail',
});

describe('Promtail specifics', () => {
  const objects = objectsOf(buildEnv('dev'));
  const text: string = find(objects, 'ConfigMap', 'promtail', NS).data['promtail.yaml'];
  const ds = find(objects, 'DaemonSet', 'promtail', NS);

  it('is the default agent', () => {
    expect(buildEnv('prod').charts.map((c) => c.node.id)).toContain('promtail');
  });

  it('expands the node name from the environment, and keeps every other "$" literal', () => {
    expect(ds.spec.template.spec.containers[0].args).toContain('-config.expand-env=true');
    const expanded = load(envsubst(text, { HOSTNAME: 'node-1' })) as any;
    const job = expanded.scrape_configs[0];
    expect(job.kubernetes_sd_configs[0].selectors).toEqual([{ role: 'pod', field: 'spec.nodeName=node-1' }]);
    expect(job.relabel_configs.filter((r: { target_label: string }) => r.target_label === '__path__').map((r: { replacement: string }) => r.replacement))
      .toEqual(['/var/log/pods/*$1/*.log', '/var/log/pods/*$1/*.log']);
  });

  it('escapes what envsubst would rewrite', () => {
    expect(escapeForExpandEnv('a$1\\d${X}')).toBe('a$$1\\\\d$${X}');
    expect(envsubst(escapeForExpandEnv('a$1\\d${X}\\\\'), { X: 'no' })).toBe('a$1\\d${X}\\\\');
  });

  it('keeps the positions file on the state hostPath mount', () => {
    const cfg = configMapYaml(objects, 'promtail', 'promtail.yaml', NS);
    expect(cfg.positions.filename).toBe('/var/lib/promtail/positions.yaml');
  });

  it('sends the tenant when Loki is multi-tenant, and none otherwise', () => {
    expect(configMapYaml(objects, 'promtail', 'promtail.yaml', NS).clients[0].tenant_id).toBeUndefined();
    const mt = objectsOf(buildEnv('dev', { loki: { tenant: 'team-a' } }));
    expect(configMapYaml(mt, 'promtail', 'promtail.yaml', NS).clients[0].tenant_id).toBe('team-a');
  });

  it('runs the stages in order: CRI, JSON, level and trace context as structured metadata, filename dropped', () => {
    const cfg = configMapYaml(objects, 'promtail', 'promtail.yaml', NS);
    expect(cfg.scrape_configs[0].pipeline_stages).toEqual([
      { cri: {} },
      { json: { expressions: { level: 'level', trace_id: 'trace_id', span_id: 'span_id' } } },
      { structured_metadata: { level: '', trace_id: '', span_id: '' } },
      { labeldrop: ['filename'] },
    ]);
  });
});
