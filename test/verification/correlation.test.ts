import { dump, load } from 'js-yaml';
import {
  alloyBlocks, checkCorrelation, checkDashboardDatasourceUids, checkDatasourceUids, checkLokiStructuredMetadata, checkOtlpGateway, checkTempoGenerator,
  checkTraceToLogsTags, formatProblems, logAgentPipelines, lokiOtlpIndexLabels, ottlSetAttributes, panelsOf,
} from '../support/checks';
import { toYaml } from '../../src/lib/yaml';
import type { KubeObject } from '../support/synth';
import { CONFIG_LABELS, configNamed } from './configs';
import { brokenObjects } from './helpers';


/** A copy of an output (maximal unless told) with `mutate` applied to one ConfigMap file, parsed when JSON or YAML. */
function brokenFile(name: string, key: string, mutate: (doc: any) => any, label = 'verify-maximal'): KubeObject[] {
  return brokenObjects('ConfigMap', name, (cm) => {
    const text = cm.data![key];
    if (key.endsWith('.json')) { const doc = JSON.parse(text); mutate(doc); cm.data![key] = JSON.stringify(doc); return; }
    if (/\.ya?ml$/.test(key)) { const doc: any = load(text); mutate(doc); cm.data![key] = dump(doc); return; }
    cm.data![key] = mutate(text);
  }, label);
}
const tempoDs = (doc: any) => doc.datasources.find((d: any) => d.type === 'tempo');
const lokiDs = (doc: any) => doc.datasources.find((d: any) => d.type === 'loki');
const messagesOf = (problems: ReturnType<typeof checkCorrelation>) => problems.map((p) => p.message);

function datasources(doc: object): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'grafana-datasources', namespace: 'observability' }, data: { 'datasources.yaml': toYaml(doc) } };
}

describe('correlation prerequisites', () => {
  it.each(CONFIG_LABELS)('%s: every prerequisite is set and every datasource UID exists', (label) => {
    expect(formatProblems(checkCorrelation(configNamed(label).objects))).toBe('');
  });

  it('fails when Prometheus lacks the remote-write receiver or exemplar storage', () => {
    const problems = checkCorrelation(brokenObjects('StatefulSet', 'prometheus', (o) => {
      const c = o.spec.template.spec.containers[0];
      c.args = c.args.filter((a: string) => a !== '--web.enable-remote-write-receiver' && a !== '--enable-feature=exemplar-storage');
      c.args.push('--enable-feature=native-histograms');
    }));
    expect(problems.map((p) => p.message).sort()).toEqual(['Prometheus lacks --enable-feature=exemplar-storage', 'Prometheus lacks --web.enable-remote-write-receiver']);
  });

  it('accepts exemplar-storage among several comma-separated features', () => {
    const problems = checkCorrelation(brokenObjects('StatefulSet', 'prometheus', (o) => {
      const c = o.spec.template.spec.containers[0];
      c.args = c.args.map((a: string) => (a === '--enable-feature=exemplar-storage' ? '--enable-feature=native-histograms,exemplar-storage' : a));
    }));
    expect(problems).toEqual([]);
  });

  const good = {
    apiVersion: 1,
    datasources: [
      { name: 'Prometheus', uid: 'prometheus', type: 'prometheus', jsonData: { exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: 'tempo' }] } },
      { name: 'Tempo', uid: 'tempo', type: 'tempo', jsonData: { tracesToLogsV2: { datasourceUid: 'loki' } } },
      { name: 'Loki', uid: 'loki', type: 'loki', jsonData: { derivedFields: [{ name: 'TraceID', datasourceUid: 'tempo' }] } },
    ],
  };

  it('accepts links between provisioned datasources', () => {
    expect(checkDatasourceUids([datasources(good)])).toEqual([]);
  });

  it('fails when a datasourceUid names no provisioned datasource, at any depth', () => {
    const broken = JSON.parse(JSON.stringify(good));
    broken.datasources[2].jsonData.derivedFields[0].datasourceUid = 'tempoo';
    const problems = checkDatasourceUids([datasources(broken)]);
    expect(problems).toEqual([expect.objectContaining({
      object: 'ConfigMap observability/grafana-datasources',
      path: '/data/datasources.yaml#/datasources/2/jsonData/derivedFields/0/datasourceUid',
      message: expect.stringContaining('"tempoo"'),
    })]);
  });

  it('fails when a Prometheus datasource\'s alertmanagerUid names no provisioned datasource', () => {
    const broken = JSON.parse(JSON.stringify(good));
    broken.datasources[0].jsonData.alertmanagerUid = 'alertmanager';
    expect(checkDatasourceUids([datasources(broken)])).toEqual([expect.objectContaining({
      path: '/data/datasources.yaml#/datasources/0/jsonData/alertmanagerUid',
      message: expect.stringContaining('alertmanagerUid "alertmanager"'),
    })]);
  });

  it('fails when a provisioned datasource has no uid', () => {
    const broken = JSON.parse(JSON.stringify(good));
    delete broken.datasources[0].uid;
    expect(checkDatasourceUids([datasources(broken)]).map((p) => p.message)).toEqual(expect.arrayContaining([expect.stringContaining('"Prometheus" has no uid')]));
  });

  it('follows every link in the full configs and none in the minimal one', () => {
    // the sub-checks are not vacuous where the datasources exist ...
    const max = configNamed('verify-maximal').objects;
    expect(checkTempoGenerator(brokenFile('tempo', 'tempo.yaml', (d) => { delete d.metrics_generator; delete d.overrides; })).length).toBeGreaterThan(0);
    expect(checkTraceToLogsTags(max)).toEqual([]);
    // ... and silent where they do not (Grafana, Loki and Tempo off)
    const min = configNamed('verify-minimal').objects;
    expect(min.some((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana')).toBe(false);
    expect([...checkTempoGenerator(min), ...checkLokiStructuredMetadata(min), ...checkTraceToLogsTags(min)]).toEqual([]);
  });

  it('fails when a dashboard references a datasource uid that is not provisioned', () => {
    const problems = checkDashboardDatasourceUids(brokenFile('grafana-dashboard-services-red', 'services-red.json', (d) => {
      const logs = panelsOf(d).find((p) => p.panel.type === 'logs')!.panel;
      logs.targets[0].datasource.uid = 'lokii';
      d.templating.list[0].datasource.uid = 'prom';
    }));
    expect(problems.map((p) => p.path).sort()).toEqual([
      expect.stringMatching(/^\/data\/services-red\.json#\/panels\/\d+\/targets\/0\/datasource$/),
      '/data/services-red.json#/templating/list/0/datasource',
    ]);
    expect(problems[0].message).toMatch(/"(lokii|prom)" is not a provisioned datasource/);
  });

  it('accepts Grafana built-in datasources and datasource variables in dashboards', () => {
    expect(checkDashboardDatasourceUids(brokenFile('grafana-dashboard-services-red', 'services-red.json', (d) => {
      d.annotations = { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' } }] };
      d.templating.list.push({ type: 'datasource', name: 'ds', query: 'prometheus' });
      d.templating.list[0].datasource.uid = '${ds}';
    }))).toEqual([]);
  });

  it('fails when a Tempo generator processor a link needs is off', () => {
    const problems = checkTempoGenerator(brokenFile('tempo', 'tempo.yaml', (d) => {
      d.overrides.defaults.metrics_generator.processors = d.overrides.defaults.metrics_generator.processors.filter((p: string) => p !== 'service-graphs');
    }));
    expect(problems).toEqual([expect.objectContaining({ object: 'ConfigMap observability/tempo', path: '/data/tempo.yaml#/overrides/defaults/metrics_generator/processors', message: expect.stringContaining('serviceMap link needs the service-graphs processor') })]);
  });

  it('fails when Tempo remote-writes anywhere but the Prometheus Service receiver', () => {
    const to = (url: string) => messagesOf(checkTempoGenerator(brokenFile('tempo', 'tempo.yaml', (d) => { d.metrics_generator.storage.remote_write[0].url = url; })));
    expect(to('http://prometheus.observability.svc:9091/api/v1/write')).toEqual([expect.stringContaining('does not expose port 9091')]);
    expect(to('http://loki.observability.svc:3100/api/v1/write')).toEqual([expect.stringContaining('does not select the Prometheus pod')]);
    expect(to('http://prometheus.observability.svc:9090/api/v1/push')).toEqual([expect.stringContaining('not /api/v1/push')]);
    expect(messagesOf(checkTempoGenerator(brokenFile('tempo', 'tempo.yaml', (d) => { d.metrics_generator.storage.remote_write = []; }))))
      .toEqual([expect.stringContaining('no remote_write')]);
  });

  it('skips the generator when the Tempo datasource has no metrics link', () => {
    const objects = brokenFile('grafana', 'datasources.yaml', (d) => { delete tempoDs(d).jsonData.serviceMap; delete tempoDs(d).jsonData.tracesToMetrics; });
    const withoutGenerator = objects.map((o) => (o.kind === 'ConfigMap' && o.metadata.name === 'tempo' ? { ...o, data: { 'tempo.yaml': o.data!['tempo.yaml'].replace(/overrides:[\s\S]*$/, '') } } : o));
    expect(checkTempoGenerator(withoutGenerator)).toEqual([]);
  });

  it('fails when Loki does not accept structured metadata', () => {
    const problems = checkLokiStructuredMetadata(brokenFile('loki', 'loki.yaml', (d) => { d.limits_config.allow_structured_metadata = false; }));
    expect(problems).toEqual([expect.objectContaining({ object: 'ConfigMap observability/loki', path: '/data/loki.yaml#/limits_config/allow_structured_metadata' })]);
  });

  it('fails when the log agent does not write trace_id as structured metadata (Alloy and Promtail)', () => {
    const alloy = checkLokiStructuredMetadata(brokenFile('alloy', 'config.alloy', (text: string) => text.replace(/(stage\.structured_metadata \{[^}]*?)trace_id = "",/, '$1')));
    expect(messagesOf(alloy)).toEqual(expect.arrayContaining([expect.stringContaining('does not write trace_id as structured metadata (writes: level, span_id)')]));
    const promtail = checkLokiStructuredMetadata(brokenFile('promtail', 'promtail.yaml', (d) => {
      for (const sc of d.scrape_configs) sc.pipeline_stages = sc.pipeline_stages.filter((s: any) => !s.structured_metadata);
    }, 'dev'));
    expect(promtail).toEqual(expect.arrayContaining([expect.objectContaining({ object: 'ConfigMap observability-agents/promtail', message: expect.stringContaining('writes: none') })]));
  });

  it("fails when the Loki derived field does not read the agent's trace_id key", () => {
    const problems = messagesOf(checkLokiStructuredMetadata(brokenFile('grafana', 'datasources.yaml', (d) => {
      lokiDs(d).jsonData.derivedFields.find((f: any) => f.matcherType === 'label').matcherRegex = 'traceId';
    })));
    expect(problems.sort()).toEqual([expect.stringContaining('derived field reads "traceId"'), 'no derived field of matcherType "label" reads trace_id']);
  });

  it('fails when a tracesToLogsV2 tag targets a label the log agent does not set', () => {
    const problems = checkTraceToLogsTags(brokenFile('grafana', 'datasources.yaml', (d) => { tempoDs(d).jsonData.tracesToLogsV2.tags.push({ key: 'k8s.deployment.name', value: 'deployment' }); }));
    // Both log paths to Loki: the agent tailing files and the OTLP gateway.
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringContaining('Loki label "deployment", which ConfigMap observability-agents/alloy, ConfigMap observability/otlp-gateway does not set') })]);
    const agentDropsPod = checkTraceToLogsTags(brokenFile('alloy', 'config.alloy', (text: string) => text.replace('target_label  = "pod"', 'target_label  = "pod_name"')));
    expect(messagesOf(agentDropsPod)).toEqual([expect.stringContaining('Loki label "pod"')]);
  });

  describe('OTLP-sent data correlates like scraped metrics and agent-shipped logs', () => {
    const gateway = (mutate: (text: string) => string) => brokenFile('otlp-gateway', 'config.alloy', mutate, 'verify-maximal');

    it('sees the gateway as a log path: Loki indexes what its transform sets, trace ids are structured metadata', () => {
      const max = configNamed('verify-maximal').objects;
      const otlp = logAgentPipelines(max).find((a) => a.object === 'ConfigMap observability/otlp-gateway')!;
      expect([...otlp.labels].sort()).toEqual(['cluster', 'container', 'namespace', 'pod', 'service']);
      expect(otlp.structuredMetadata).toEqual(new Set(['trace_id', 'span_id']));
      expect(lokiOtlpIndexLabels(max)).toEqual(new Set(['service', 'namespace', 'pod', 'container', 'cluster']));
      expect(ottlSetAttributes(gatewayText(max), 'metric_statements')).toEqual(new Set(['service', 'namespace', 'pod', 'container']));
      expect(checkOtlpGateway(max)).toEqual([]);
    });

    it('fails when the gateway stops mapping k8s.pod.name to pod (traces -> logs loses the pod filter)', () => {
      const problems = checkTraceToLogsTags(gateway((t) => t.replaceAll('set(attributes[\\"pod\\"]', 'set(attributes[\\"pod_name\\"]')));
      expect(messagesOf(problems)).toEqual([expect.stringContaining('Loki label "pod", which ConfigMap observability/otlp-gateway does not set')]);
    });

    it('fails when Loki does not index the mapped attributes (they would be structured metadata)', () => {
      const problems = messagesOf(checkTraceToLogsTags(brokenFile('loki', 'loki.yaml', (d) => { d.limits_config.otlp_config.resource_attributes.attributes_config[0].attributes = ['cluster']; }, 'verify-maximal')));
      expect(problems).toHaveLength(3);
      expect(problems.every((m) => m.includes('ConfigMap observability/otlp-gateway does not set'))).toBe(true);
    });

    it('fails when an exporter misses the store or its OTLP path, or Prometheus does not promote a mapped label', () => {
      const wrongPath = messagesOf(checkOtlpGateway(gateway((t) => t.replace('/otlp/v1/logs', '/loki/api/v1/push'))));
      expect(wrongPath).toEqual([expect.stringContaining('the store accepts OTLP on /otlp/v1/logs, not /loki/api/v1/push')]);
      const wrongPort = messagesOf(checkOtlpGateway(gateway((t) => t.replaceAll(':9090/api/v1/otlp', ':9091/api/v1/otlp'))));
      expect(wrongPort).toEqual(expect.arrayContaining([expect.stringContaining('does not expose port 9091')]));
      const notPromoted = messagesOf(checkOtlpGateway(brokenFile('prometheus', 'prometheus.yaml', (d) => { d.otlp.promote_resource_attributes = ['service']; }, 'verify-maximal')));
      expect(notPromoted.sort()).toEqual([
        expect.stringContaining('sets container, which Prometheus does not promote'),
        expect.stringContaining('sets namespace, which Prometheus does not promote'),
        expect.stringContaining('sets pod, which Prometheus does not promote'),
      ]);
      const noTempo = messagesOf(checkOtlpGateway(gateway((t) => t.replace('tempo.observability.svc:4317', 'tempo.observability.svc:4319'))));
      expect(noTempo).toEqual([expect.stringContaining('traces: Service observability/tempo does not expose port 4319')]);
    });
  });

  it('reads Alloy blocks with nested maps and labels', () => {
    const text = 'loki.process "x" {\n  stage.structured_metadata {\n    values = { trace_id = "", "span_id" = "a}" }\n  }\n}\n';
    expect(alloyBlocks(text, /\bstage\.structured_metadata/)).toEqual(['\n    values = { trace_id = "", "span_id" = "a}" }\n  ']);
  });
});

/** The gateway's Alloy configuration in an output. */
function gatewayText(objects: readonly KubeObject[]): string {
  return objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'otlp-gateway')!.data!['config.alloy'];
}
