/**
 * Prometheus configuration and rules through promtool.
 *
 * What is substituted: Debian's promtool has no Kubernetes service discovery, so every
 * `kubernetes_sd_configs` block is replaced by a `static_configs` block listing the pods it would
 * discover in the output (`<workload>.<namespace>.pod:<containerPort>`). Everything else (globals,
 * relabelling, metric relabelling, rule_files) reaches `promtool check config --syntax-only` unchanged.
 * The discovery blocks themselves are checked here in jest (`checkKubernetesSd`: roles, namespaces,
 * selectors, the kept port name, and the RBAC that lets Prometheus list and watch what it discovers).
 *
 * Retention and OTLP: Prometheus 3.14 reads retention from the config file (`storage.tsdb.retention`) and
 * the OTLP receiver's settings from `otlp`, keys Debian's promtool 2.42 refuses. Only those keys are left out
 * of what a 2.x promtool sees (`forPromtool`); they are checked here against 3.14's keys instead
 * (`checkTsdbRetention`, `checkOtlpSection`), and a test below shows the 2.42 refusals, so the exclusion
 * is taken out once CI has a 3.x promtool (which then gets the whole file).
 */
import { dump } from 'js-yaml';
import {
  KEYS_PROMTOOL_2_LACKS, checkKubernetesSd, checkOtlpSection, checkTsdbRetention, clusterNamespacesOf, findPrometheus, forPromtool, formatProblems, itWithTool, promtool,
  promtoolEach, promtoolMajor, substituteKubernetesSd,
} from '../support/checks';
import { CONFIG_LABELS, configNamed } from './configs';
import { brokenObjects, clone } from './helpers';

const itPromtool = itWithTool('promtool');

/** Namespaces the cluster has where Prometheus discovers: the API server's Service, CoreDNS, the user's own jobs' namespaces. */
const clusterNamespaces = clusterNamespacesOf;

function checkConfig(config: unknown): { ok: boolean; output: string } {
  return promtool(['check', 'config', '--syntax-only', 'prometheus.yaml'], { 'prometheus.yaml': dump(config) });
}

let verdicts: { configs: ReturnType<typeof promtoolEach>; rules: ReturnType<typeof promtoolEach> } | undefined;

/** promtool's verdict on every config's Prometheus config and rule files: two promtool runs for the whole table. */
function promtoolVerdicts(): NonNullable<typeof verdicts> {
  if (verdicts !== undefined) return verdicts;
  const configs: Record<string, string> = {};
  const rules: Record<string, string> = {};
  for (const label of CONFIG_LABELS) {
    const c = configNamed(label);
    const f = findPrometheus(c.objects)[0];
    configs[`${label}/prometheus.yaml`] = dump(substituteKubernetesSd(forPromtool(f.config).config, c.objects).config);
    for (const [name, content] of Object.entries(f.ruleFiles)) rules[`${label}/${name}`] = content;
  }
  verdicts = { configs: promtoolEach(['check', 'config', '--syntax-only'], configs), rules: promtoolEach(['check', 'rules'], rules) };
  return verdicts;
}

describe.each(CONFIG_LABELS)('%s: Prometheus', (label) => {
  const c = () => configNamed(label);

  it('has exactly one Prometheus whose config and rule files are mounted', () => {
    const found = findPrometheus(c().objects);
    expect(found).toHaveLength(1);
    expect(formatProblems(found[0].problems)).toBe('');
  });

  it('discovers pods structurally (roles, namespaces, selectors, kept port, RBAC)', () => {
    const f = findPrometheus(c().objects)[0];
    expect(formatProblems(checkKubernetesSd(f, c().objects, clusterNamespaces(c().config)))).toBe('');
  });

  it('keeps retention in the config file as Prometheus 3.14 reads it, inside the data volume', () => {
    expect(formatProblems(checkTsdbRetention(findPrometheus(c().objects)[0]))).toBe('');
  });

  it('has an otlp section with Prometheus 3.14 keys and the OTLP receiver on exactly where the gateway runs', () => {
    const f = findPrometheus(c().objects)[0];
    expect(formatProblems(checkOtlpSection(f))).toBe('');
    const gateway = c().objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'otlp-gateway');
    expect(f.config.otlp !== undefined).toBe(gateway);
    expect((f.container.args ?? []).includes('--web.enable-otlp-receiver')).toBe(gateway);
    if (gateway) expect(f.config.otlp.promote_resource_attributes).toEqual(expect.arrayContaining(['service', 'namespace', 'pod', 'container']));
  });

  itPromtool('passes promtool check config (kubernetes_sd_configs -> static_configs of the discovered pods)', () => {
    const f = findPrometheus(c().objects)[0];
    const { substitutions } = substituteKubernetesSd(forPromtool(f.config).config, c().objects);
    expect(substitutions.length).toBeGreaterThan(0);
    expect(substitutions.join('\n')).toContain('prometheus: kubernetes_sd_configs -> static_configs prometheus.observability.pod:9090');
    const r = promtoolVerdicts().configs.get(`${label}/prometheus.yaml`)!;
    expect(r.output).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });

  itPromtool('passes promtool check rules for every rule file', () => {
    const f = findPrometheus(c().objects)[0];
    const names = Object.keys(f.ruleFiles);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const r = promtoolVerdicts().rules.get(`${label}/${name}`)!;
      expect(`${name}: ${r.ok ? 'ok' : r.output}`).toBe(`${name}: ok`);
    }
  });
});

describe('Prometheus checks fail on broken input', () => {
  const found = () => findPrometheus(configNamed('dev').objects)[0];

  itPromtool('promtool 2.x refuses storage.tsdb.retention and otlp, and forPromtool leaves out those keys only', () => {
    const { config, removed } = forPromtool(found().config, 2);
    expect(removed).toEqual([...KEYS_PROMTOOL_2_LACKS]);
    // The OTLP receiver's out-of-order window stays: promtool 2.42 knows it.
    expect(config.storage).toEqual({ tsdb: { out_of_order_time_window: found().config.storage.tsdb.out_of_order_time_window } });
    expect({ ...found().config, storage: undefined, otlp: undefined }).toEqual({ ...config, storage: undefined, otlp: undefined });
    expect(forPromtool(found().config, 3).removed).toEqual([]);
    if ((promtoolMajor() ?? 0) < 3) {
      const full = substituteKubernetesSd(found().config, configNamed('dev').objects).config;
      const r = checkConfig(full);
      expect(r.ok).toBe(false);
      expect(r.output).toMatch(/field retention not found/);
      const otlpOnly = checkConfig({ ...full, storage: undefined });
      expect(otlpOnly.ok).toBe(false);
      expect(otlpOnly.output).toMatch(/field otlp not found/);
    }
  });

  it('reports an unknown otlp key, and an otlp section without the receiver flag', () => {
    const f = found();
    const broken = { ...f, config: { ...f.config, otlp: { ...f.config.otlp, promote_attributes: ['x'] } }, container: { ...f.container, args: [] } };
    expect(checkOtlpSection(broken).map((p) => p.message)).toEqual([
      expect.stringContaining('unknown key promote_attributes'), 'the otlp section is set but --web.enable-otlp-receiver is not',
    ]);
  });

  it('reports retention that Prometheus 3.14 would not read, or that does not fit the volume', () => {
    const f = found();
    const bad = (retention: unknown) => checkTsdbRetention({ ...f, config: { ...f.config, storage: { tsdb: { retention } } } }).map((p) => p.message);
    expect(bad({ time: '2 days', size: '1GB' })).toEqual(['time "2 days" is not a Prometheus duration']);
    expect(bad({ time: '2d', size: '1.5GB' })).toEqual(['size "1.5GB" is not a byte size with a unit (B, KB, MB, GB, TB, PB, EB)']);
    expect(bad({ time: '2d', size: '3GB' })).toEqual([expect.stringMatching(/^size 3GB does not fit the \d+ B data volume$/)]);
    expect(bad({ time: '2d', size: '1GB', keep: 1 })).toEqual(['unknown key keep (Prometheus 3.14 reads time, size, percentage)']);
  });

  itPromtool('promtool rejects a scrape timeout above the interval and a broken relabel regex', () => {
    const { config } = substituteKubernetesSd(forPromtool(found().config).config, configNamed('dev').objects);
    const broken = clone(config);
    broken.global.scrape_timeout = '1m';
    expect(checkConfig(broken).ok).toBe(false);
    const broken2 = clone(config);
    broken2.scrape_configs[0].relabel_configs[0].regex = '(unclosed';
    expect(checkConfig(broken2).ok).toBe(false);
    const broken3 = clone(config);
    broken3.scrape_configs[0].scrape_intervall = '5s';
    expect(checkConfig(broken3).ok).toBe(false);
  });

  itPromtool('promtool rejects a rule with a broken expression', () => {
    const rules = 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(rate(x[5m])\n';
    expect(promtool(['check', 'rules', 'r.yaml'], { 'r.yaml': rules }).ok).toBe(false);
    const good = 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(rate(x[5m])) > 1\n';
    expect(promtool(['check', 'rules', 'r.yaml'], { 'r.yaml': good }).ok).toBe(true);
    // Batched as the per-config checks above are: each file gets its own verdict, in either order.
    const r = promtoolEach(['check', 'rules'], { 'a/broken.yaml': rules, 'b/good.yaml': good, 'c/broken.yaml': rules });
    expect([...r].map(([n, v]) => `${n}: ${v.ok}`)).toEqual(['a/broken.yaml: false', 'b/good.yaml: true', 'c/broken.yaml: false']);
    expect(r.get('a/broken.yaml')!.output).toContain('unclosed left parenthesis');
  });

  it('reports a config file that no mounted ConfigMap backs', () => {
    const objects = brokenObjects('StatefulSet', 'prometheus', (o) => {
      const c = o.spec.template.spec.containers[0];
      c.args = c.args.map((a: string) => (a.startsWith('--config.file=') ? '--config.file=/etc/prometheus/config/other.yaml' : a));
    });
    expect(findPrometheus(objects)[0].problems[0].message).toContain('not backed by a mounted ConfigMap key');
  });

  it('reports rule_files pointing where no ConfigMap is mounted', () => {
    const objects = brokenObjects('ConfigMap', 'prometheus', (o) => {
      o.data['prometheus.yaml'] = o.data['prometheus.yaml'].replace('/etc/prometheus/rules/*.yaml', '/etc/rules/*.yaml');
    });
    expect(findPrometheus(objects)[0].problems.map((p) => p.message)).toEqual(['rule_files /etc/rules/*.yaml: no ConfigMap is mounted at /etc/rules']);
  });

  it('reports discovery that finds no pod, an unknown namespace, a mismatched selector role, a kept port no pod declares', () => {
    const f = found();
    const objects = configNamed('dev').objects;
    const cfg = clone(f.config);
    cfg.scrape_configs[0].kubernetes_sd_configs[0].selectors[0].label = 'app.kubernetes.io/name=prometheuss';
    cfg.scrape_configs[1].kubernetes_sd_configs[0].namespaces.names = ['nowhere'];
    cfg.scrape_configs[1].kubernetes_sd_configs[0].selectors[0].role = 'node';
    const cluster = clusterNamespaces(configNamed('dev').config);
    const messages = checkKubernetesSd({ ...f, config: cfg }, objects, cluster).map((p) => p.message);
    expect(messages).toEqual(expect.arrayContaining([
      'finds no pod template in the output',
      'namespace "nowhere" is not created by the output',
      'selector role "node" is not one the discovery role "pod" takes',
    ]));
    const cfg2 = clone(f.config);
    cfg2.scrape_configs[0].relabel_configs[0].regex = 'metrics';
    expect(checkKubernetesSd({ ...f, config: cfg2 }, objects, cluster).map((p) => p.message)).toEqual([expect.stringContaining('keeps container port "metrics"')]);
    // Without the cluster's own namespaces, discovery in them is reported too.
    expect(checkKubernetesSd(f, objects).map((p) => p.message)).toEqual(expect.arrayContaining(['namespace "default" is not created by the output']));
  });

  it('reports discovery the Prometheus ServiceAccount may not list and watch', () => {
    const objects = brokenObjects('ClusterRole', 'observability-prometheus', (o) => {
      for (const r of o.rules) if ((r.resources ?? []).includes('pods')) r.verbs = ['get', 'list'];
    }, 'dev');
    const f = findPrometheus(objects)[0];
    expect(checkKubernetesSd(f, objects, clusterNamespaces(configNamed('dev').config)).map((p) => p.message)).toEqual(expect.arrayContaining([
      'ServiceAccount observability/prometheus may not list+watch pods in observability',
      'ServiceAccount observability/prometheus may not list+watch pods cluster-wide',
    ]));
  });
});
