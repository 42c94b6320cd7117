/**
 * The Helm path as helm renders it: every release of every environment, with the pinned charts and the
 * real helm (`.tools/bin/helm`), at Kubernetes 1.30 and 1.34, plus `helm lint --strict` per release. Each
 * environment is rendered once per version for the whole file (several helm processes at once), then:
 * - the verification checks run on it exactly as on the manifests (schema, references, wiring and wires,
 *   workload safety, Pod Security, probes and resources, Prometheus discovery and promtool, queries,
 *   correlation, secrets);
 * - the NetworkPolicies of `helm/extra/` are evaluated against the rendered pods (every wired flow allowed,
 *   on the port the Service really forwards to; unwired flows and API access without a token denied);
 * - the chart facts obs-stack relies on are checked on the output (Service names and ports, pod labels and
 *   port names, no download or reloader sidecars, no lifecycle API, affinity, token mounts);
 * - the measured pod differences equal `src/outputs/helm/differences.json` and each has its reason.
 *
 * Without helm or the charts the tests skip with a message, and fail under CI=true (see helm-tools.ts).
 */
import { load, loadAll } from 'js-yaml';
import { ENVIRONMENTS } from '../../../src/config/environments';
import type { ComponentName } from '../../../src/components/registry';
import { externalEndpoints } from '../../../src/lib/external';
import { type Wire, isOutsideSource } from '../../../src/lib/wiring';
import { toYamlStream } from '../../../src/lib/yaml';
import { CHART_LIMITS, MEASURED_DIFFERENCES, type MeasuredDifferences, limitFor } from '../../../src/outputs/helm/differences';
import { HELM_EXTRA_DIR, helmWires } from '../../../src/outputs/helm/extra';
import { enabledCharts } from '../../../src/outputs/helm';
import {
  DEFAULT_RELEASES, allChartServices, chartServices, enabledSubcharts, helmPodFacts, helmPodLabels, subchartOf, subchartServices,
} from '../../../src/outputs/helm/services';
import { GRAFANA_CHART_DASHBOARDS_DIR, GRAFANA_DASHBOARDS_CONFIGMAP, helmUserSecrets } from '../../../src/components/grafana/helm-values';
import { synthesize } from '../../../src/outputs/synthesize';
import type { StackBuild } from '../../../src/stack';
import {
  adaptForAmtool, alertmanagerFiles, amtoolCheckConfig, amtoolVersion, checkCorrelation, checkKubernetesSd, checkPodSettings, checkTsdbRetention, clusterNamespacesOf, dashboardFiles, datasourceFiles, forPromtool, checkMetricNames, checkQueries, checkReferences, checkSchema, checkWires, checkWiring, checkWorkloadSafety,
  externalAllowed, findPrometheus, formatProblems, hostAgentExemptions, itWithTool, promtool, runTool, substituteKubernetesSd, type SafetyExemption,
} from '../../support/checks';
import { HELM, KUBECTL } from '../../support/helm-tools';
import { DIFFERENCES_KUBE_VERSION, measureDifferences } from '../../support/helm-differences';
import {
  HELM_TEST_ENVIRONMENTS, type HelmRendering, KUBE_VERSIONS, type LintResult, helmEnvironments, helmUnavailable, renderForTests, renderInputDigest, testKubeVersions,
} from '../../support/helm-render';
import { awaitPrerender } from '../../support/helm-prerender/shared';
import { type Endpoint as NetpolEndpoint, PolicyEvaluator, type Pod, pod } from '../../support/netpol';
import {
  automountViolations, goMemLimitViolations, missingDisruptionBudgets, podSecurityViolations, podTemplates, probeAndResourceViolations,
  rwoUpdateViolations, secretFindings,
} from '../../support/security';
import type { KubeObject } from '../../support/synth';
import { MAXIMAL_PODS } from '../../support/maximal';


const synth = synthesize(HELM_TEST_ENVIRONMENTS);
const ENVS = helmEnvironments(synth.files);
/** The project's environments, whose measured differences are committed (the maximal one is checked live). */
const PROJECT_ENVS = ENVS.filter((e) => ENVIRONMENTS.some((d) => d.name === e));
const CASES = ENVS.flatMap((env) => testKubeVersions(env).map((v) => [env, v] as const));
const buildOf = (env: string): StackBuild => synth.builds.find((b) => b.env.name === env)!;

const unavailable = helmUnavailable();
if (unavailable !== undefined && process.env.CI !== 'true') {
  console.warn(`SKIPPED: the Helm path is not rendered, so its checks are skipped (they fail under CI=true):\n${unavailable}`);
}
const describeHelm: jest.Describe = unavailable === undefined ? describe : (process.env.CI === 'true' ? describe : describe.skip);

let renderings: HelmRendering[] = [];
let lint = new Map<string, LintResult[]>();
/** Pod differences measured in this run, every environment (the committed file holds the project's). */
let measured: MeasuredDifferences = { rendered: { kubeVersion: '', charts: {} }, environments: {} };
const rendering = (env: string, kubeVersion: string): HelmRendering => {
  const r = renderings.find((x) => x.env === env && x.kubeVersion === kubeVersion);
  if (r === undefined) throw new Error(`${env} was not rendered at ${kubeVersion}`);
  return r;
};

beforeAll(async () => {
  if (unavailable !== undefined) return;
  // This run's background rendering (jest globalSetup) when there is one for this very synth, else here.
  const background = await awaitPrerender(280_000);
  const r = background !== undefined && background.digest === renderInputDigest(synth.files) ? background : await renderForTests(synth.files);
  renderings = r.renderings;
  lint = new Map(r.lint);
  measured = await measureDifferences(synth, renderings);
}, 300_000);

describeHelm('Helm path rendered by helm', () => {
  if (unavailable !== undefined) {
    test('helm and the pinned charts are available', () => { throw new Error(unavailable); });
    return;
  }

  test('renders every environment with a Helm path, at both Kubernetes versions', () => {
    expect(PROJECT_ENVS).toEqual(ENVIRONMENTS.filter((e) => synth.files.has(`${e.name}/helm/helmfile.yaml`)).map((e) => e.name));
    expect(PROJECT_ENVS.length).toBeGreaterThanOrEqual(3);
    expect(ENVS).toContain('maximal-prod');
    for (const env of PROJECT_ENVS) expect(testKubeVersions(env)).toEqual(KUBE_VERSIONS);
    for (const [env, v] of CASES) {
      const r = rendering(env, v);
      expect(r.releases.map((x) => x.chart.key)).toEqual(enabledCharts(buildOf(env).env.config));
      for (const rel of r.releases) expect({ release: rel.name, objects: rel.objects.length > 0 }).toEqual({ release: rel.name, objects: true });
    }
  });

  test.each(ENVS)('%s: every release passes helm lint --strict', (env) => {
    const results = lint.get(env)!;
    expect(results.map((r) => r.release)).toEqual(rendering(env, DIFFERENCES_KUBE_VERSION).releases.map((r) => r.name));
    for (const r of results) expect(`${r.release}: ${r.ok ? 'ok' : r.output}`).toBe(`${r.release}: ok`);
  });

  describe.each(CASES)('%s at Kubernetes %s', (env, kubeVersion) => {
    const objects = (): KubeObject[] => rendering(env, kubeVersion).objects;
    const build = buildOf(env);
    const cfg = build.env.config;
    const installed = enabledCharts(cfg);

    test('schema: every object validates (strict)', () => {
      expect(formatProblems(checkSchema(objects()))).toBe('');
    });

    test('references resolve (the Secrets to create are the README\'s)', () => {
      expect(formatProblems(checkReferences(objects(), helmUserSecrets(cfg)))).toBe('');
    });

    test('wiring: every address and every wire reaches a Service, a port and a pod', () => {
      expect(formatProblems([
        ...checkWiring(objects(), externalAllowed(cfg)),
        ...checkWires(helmWires(build, DEFAULT_RELEASES, installed), objects()),
      ])).toBe('');
    });

    test('correlation prerequisites, queries and metric names', () => {
      expect(formatProblems([...checkCorrelation(objects()), ...checkQueries(objects()), ...checkMetricNames(objects())])).toBe('');
    });

    test('Prometheus: one, its config and rules mounted, discovery finds the charts\' pods, retention as Prometheus reads it', () => {
      const found = findPrometheus(objects());
      expect(found).toHaveLength(1);
      // The cluster's own targets (API server, CoreDNS) are discovered in namespaces the output does not create.
      const cluster = clusterNamespacesOf(buildOf(env).env.config);
      expect(formatProblems([...found[0].problems, ...checkKubernetesSd(found[0], objects(), cluster), ...checkTsdbRetention(found[0])])).toBe('');
    });

    test('no secret material; Secrets are only referenced', () => {
      const files = new Map(rendering(env, kubeVersion).releases.map((r) => [`${env}/${r.name}.yaml`, toYamlStream(r.objects)]));
      expect(secretFindings(files)).toEqual([]);
      expect(objects().filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([]);
    });

    test('Pod Security, tokens, GOMEMLIMIT, update strategy and budgets as in the manifests', () => {
      expect([
        ...podSecurityViolations(objects(), cfg.common),
        ...automountViolations(objects()),
        ...rwoUpdateViolations(objects()),
        ...missingDisruptionBudgets(objects()),
      ]).toEqual([]);
    });

    test('workload safety, probes, resources and GOMEMLIMIT: only what a chart cannot express is exempt', () => {
      const exempt = chartExemptions(env, objects());
      const safety = checkWorkloadSafety(objects(), [...hostAgentExemptions(cfg.common.agentNamespace, { cadvisorPrivileged: cfg.cadvisor.privileged }), ...exempt.safety]);
      expect(formatProblems(safety)).toBe('');
      expect([...probeAndResourceViolations(objects()), ...goMemLimitViolations(objects())].filter((v) => !exempt.lines.some((e) => e.test(v)))).toEqual([]);
    });

    test('NetworkPolicies: every wired flow is allowed on the port the Service forwards to; others and API access without a token are not', () => {
      if (!cfg.networkPolicy.enabled) return;
      const all = objects();
      const ev = new PolicyEvaluator(all);
      const pods = renderedPods(all);
      const api = { name: 'kube-apiserver', ip: '172.18.0.2' };
      const podsOf = (c: ComponentName): RenderedPod[] => {
        const sel = helmPodLabels(c, DEFAULT_RELEASES);
        return pods.filter((p) => Object.entries(sel).every(([k, v]) => p.labels[k] === v));
      };
      const ic = cfg.networkPolicy.ingressController;
      const source = (w: Wire): Pod[] => (w.from === 'cluster-workloads'
        ? [pod('checkout', 'shop', { app: 'checkout' })]
        : w.from === 'ingress-controller' ? [pod('controller', ic.namespace, { ...ic.podSelector })] : podsOf(w.from as ComponentName));
      // Where a wire's listener is: the chart's pods; a node address (the kubelet, host-network pods such as
      // node-exporter); a pod the cluster runs (CoreDNS); the API server, on its own port.
      const node = { name: 'node', ip: addressIn(cfg.networkPolicy.nodes.cidrs[0]) };
      const destinations = (w: Wire, port: number): Array<{ to: NetpolEndpoint; port: number }> => {
        const peer = w.to.peer;
        if (peer?.kind === 'nodes') return [{ to: node, port }];
        if (peer?.kind === 'cluster-pods') return [{ to: pod(w.to.component, w.to.namespace, { ...peer.podSelector }), port }];
        if (peer?.kind === 'api-server') return [{ to: api, port: cfg.networkPolicy.kubeApiServer.ports[0] }];
        return podsOf(w.to.component).filter((p) => p.ports.includes(port)).map((to) => ({ to, port }));
      };
      const wires = helmWires(build, DEFAULT_RELEASES, installed);
      expect(wires.length).toBeGreaterThan(5);
      const problems: string[] = [];
      for (const w of wires) {
        const port = servicePodPort(all, w);
        const to = destinations(w, port);
        if (to.length === 0) problems.push(`${w.from} -> ${w.to.address}: no rendered pod of ${w.to.component} listens on ${port}`);
        for (const from of source(w)) for (const d of to) {
          const v = ev.evaluate({ from, to: d.to, port: d.port });
          if (!v.allowed) problems.push(`${from.name} -> ${d.to.name}:${d.port} (${w.purpose}) denied: egress ${v.egress}, ingress ${v.ingress}`);
        }
        if (isOutsideSource(w.from) && source(w).length === 0) problems.push(`${w.from}: no source pod`);
      }
      expect(problems).toEqual([]);
      // Cluster monitoring is wired on this path too: the subcharts' pods and the cluster's parts.
      const scraped = new Set<string>(wires.filter((w) => w.from === 'prometheus').map((w) => w.to.component));
      const cluster: string[] = [
        ...enabledSubcharts(cfg), ...(cfg.kubernetes.kubelet.metrics ? ['kubelet'] : []), ...(cfg.kubernetes.apiServer.enabled ? ['kube-apiserver'] : []),
        ...(cfg.kubernetes.coredns.enabled ? ['coredns'] : []),
      ];
      expect(cluster.filter((c) => !scraped.has(c))).toEqual([]);
      // Not wired: Grafana never calls cAdvisor, the log agent never calls Prometheus.
      for (const [from, to] of [['grafana', 'cadvisor'], [cfg.logAgent, 'prometheus']] as Array<[ComponentName, ComponentName]>) {
        for (const a of podsOf(from)) for (const b of podsOf(to)) for (const port of b.ports) expect(ev.allowed({ from: a, to: b, port })).toBe(false);
      }
      // The API server: the pods that mount a token may reach it, the others not (unless an external
      // endpoint of theirs, such as an object store on 443, opens that port anyway); every pod may ask the DNS.
      const external = externalEndpoints(cfg);
      const dns = pod('coredns', cfg.networkPolicy.dns.namespace, { ...cfg.networkPolicy.dns.podSelector });
      for (const p of pods) {
        const component = p.labels['app.kubernetes.io/name'];
        for (const port of cfg.networkPolicy.kubeApiServer.ports) {
          const expected = p.token || external.some((e) => e.from === component && e.inCluster === undefined && e.port === port);
          expect({ pod: p.name, port, api: ev.allowed({ from: p, to: api, port }) }).toEqual({ pod: p.name, port, api: expected });
        }
        expect({ pod: p.name, dns: ev.allowed({ from: p, to: dns, port: cfg.networkPolicy.dns.port, protocol: 'UDP' }) }).toEqual({ pod: p.name, dns: true });
      }
      expect(pods.some((p) => p.token)).toBe(true);
    });
  });

  test('the project\'s own helm and kubectl, at the pinned versions', () => {
    expect(runTool(HELM, ['version', '--short']).output).toMatch(/^v4\.1\.4\+/);
    expect(runTool(KUBECTL, ['version', '--client']).output).toContain('Client Version: v1.34.5');
  });

  test('the NetworkPolicy evaluation fails when the policies select other pod labels (the manifests\' ones)', () => {
    const env = ENVS[0];
    const all = JSON.parse(JSON.stringify(rendering(env, DIFFERENCES_KUBE_VERSION).objects)) as KubeObject[];
    const manifestsLabels = JSON.stringify(all.filter((o) => o.kind === 'NetworkPolicy')).replace(/"app\.kubernetes\.io\/instance":"[a-z-]+"/g, `"app.kubernetes.io/instance":"${env}"`);
    const objects = [...all.filter((o) => o.kind !== 'NetworkPolicy'), ...(JSON.parse(manifestsLabels) as KubeObject[])];
    const pods = renderedPods(objects);
    const prometheus = pods.find((p) => p.labels['app.kubernetes.io/name'] === 'prometheus')!;
    const grafana = pods.find((p) => p.labels['app.kubernetes.io/name'] === 'grafana')!;
    const port = grafana.ports[0];
    expect(new PolicyEvaluator(rendering(env, DIFFERENCES_KUBE_VERSION).objects).allowed({ from: prometheus, to: grafana, port })).toBe(true);
    expect(new PolicyEvaluator(objects).allowed({ from: prometheus, to: grafana, port })).toBe(false);
  });

  describe('the chart facts obs-stack relies on, on the rendered output', () => {
    test.each(ENVS)('%s: every chart Service obs-stack points at exists with its ports (and targetPorts)', (env) => {
      const objects = rendering(env, DIFFERENCES_KUBE_VERSION).objects;
      for (const s of allChartServices(buildOf(env).env.config)) {
        if (!enabledCharts(buildOf(env).env.config).includes(s.chart)) continue;
        const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === s.name && o.metadata.namespace === s.namespace);
        expect({ service: s.name, exists: svc !== undefined }).toEqual({ service: s.name, exists: true });
        // Prometheus finds its targets by pod labels; an annotation would invite a second scrape by other jobs.
        expect({ service: s.name, annotation: svc!.metadata.annotations?.['prometheus.io/scrape'] }).toEqual({ service: s.name, annotation: undefined });
        for (const p of s.ports) {
          const sp = svc!.spec.ports.find((x: any) => x.name === p.name);
          expect({ service: s.name, port: p.name, number: sp?.port }).toEqual({ service: s.name, port: p.name, number: p.port });
          if (p.targetPort !== undefined) expect(servicePodPortOf(objects, svc!, sp)).toBe(p.targetPort);
        }
      }
    });

    test.each(ENVS)('%s: every chart\'s and subchart\'s pods carry the labels the NetworkPolicies select and the metrics port the scrape jobs keep', (env) => {
      const r = rendering(env, DIFFERENCES_KUBE_VERSION);
      const cfg = buildOf(env).env.config;
      const selects = (c: string, labels: Record<string, string>) => Object.entries(helmPodLabels(c, DEFAULT_RELEASES)).every(([k, v]) => labels?.[k] === v);
      for (const rel of r.releases) {
        const key = rel.chart.key;
        // The components this release runs: the chart's own, and the subcharts the config turns on.
        const runs: string[] = [key, ...enabledSubcharts(cfg).filter((c) => subchartOf(c)!.parent === key)];
        const templates = podTemplates(rel.objects);
        for (const c of runs) expect({ release: rel.name, component: c, pods: templates.some((t) => selects(c, t.metadata.labels)) }).toEqual({ release: rel.name, component: c, pods: true });
        for (const t of templates) {
          const mine = runs.filter((c) => selects(c, t.metadata.labels));
          expect({ owner: t.owner, components: mine }).toEqual({ owner: t.owner, components: [expect.any(String)] });
          const ports = t.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
          expect({ owner: t.owner, port: ports.includes(helmPodFacts(mine[0]).metricsPortName) }).toEqual({ owner: t.owner, port: true });
        }
      }
    });

    test.each(ENVS)('%s: no sidecar or init container the manifests do not have, no lifecycle API, tokens only where the manifests mount them', (env) => {
      const r = rendering(env, DIFFERENCES_KUBE_VERSION);
      const manifests = new Map(podTemplates(folderObjectsOf(env, 'manifests')).map((t) => [t.metadata.labels?.['app.kubernetes.io/name'], t]));
      for (const t of podTemplates(r.objects)) {
        const name = t.metadata.labels['app.kubernetes.io/name'];
        expect({ owner: t.owner, init: (t.spec.initContainers ?? []).map((c: any) => c.name) }).toEqual({ owner: t.owner, init: [] });
        expect({ owner: t.owner, containers: t.spec.containers.length }).toEqual({ owner: t.owner, containers: 1 });
        const args: string[] = t.spec.containers.flatMap((c: any) => c.args ?? []);
        expect(args).not.toContain('--web.enable-lifecycle');
        const m = manifests.get(name);
        expect({ owner: t.owner, token: mountsToken(r.objects, t) }).toEqual({ owner: t.owner, token: m === undefined ? false : mountsToken(folderObjectsOf(env, 'manifests'), m) });
      }
    });

    test('prometheus rolls on a config change (checksum annotation over the ConfigMap\'s inputs), since no reloader runs', () => {
      const sts = (env: string) => rendering(env, DIFFERENCES_KUBE_VERSION).objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === chartServices(buildOf(env).env.config).prometheus.name)!;
      const sums = ENVS.map((env) => sts(env).spec.template.metadata.annotations?.['checksum/config']);
      for (const s of sums) expect(s).toMatch(/^[0-9a-f]{64}$/);
      // dev, prod and large differ in scrape interval, retention or rules: so do their checksums.
      expect(new Set(sums).size).toBe(sums.length);
    });

    test('grafana mounts the dashboards ConfigMap of helm/extra/ as its provider folder; no download container, no env rendered as null', () => {
      for (const env of ENVS) {
        const objects = rendering(env, DIFFERENCES_KUBE_VERSION).objects;
        const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === chartServices(buildOf(env).env.config).grafana.name)!;
        const spec = d.spec.template.spec;
        const vol = spec.volumes.find((v: any) => v.configMap?.name === GRAFANA_DASHBOARDS_CONFIGMAP);
        expect(vol).toBeDefined();
        expect(spec.containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: vol.name, mountPath: GRAFANA_CHART_DASHBOARDS_DIR }));
        expect(objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === GRAFANA_DASHBOARDS_CONFIGMAP)).toBe(true);
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) expect(c.env === null).toBe(false);
      }
    });

    test('tempo: the StatefulSet\'s serviceName is the headless Service of helm/extra/; no memory ballast; Service ports follow the receivers', () => {
      for (const env of ENVS) {
        const cfg = buildOf(env).env.config;
        if (!cfg.tempo.enabled) continue;
        const objects = rendering(env, DIFFERENCES_KUBE_VERSION).objects;
        const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === chartServices(cfg).tempo.name)!;
        const headless = objects.find((o) => o.kind === 'Service' && o.metadata.name === sts.spec.serviceName)!;
        expect(headless.spec.clusterIP).toBe('None');
        expect(synth.files.has(`${env}/helm/${HELM_EXTRA_DIR}/tempo.yaml`)).toBe(true);
        expect(sts.spec.template.spec.containers[0].args).toContain('-mem-ballast-size-mbs=0');
        const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === chartServices(cfg).tempo.name)!;
        const ports = svc.spec.ports.map((p: any) => p.name);
        for (const p of chartServices(cfg).tempo.ports) expect(ports).toContain(p.name);
        // The chart's extras have nothing behind them unless a receiver is enabled (tempo's helm.ts).
        for (const p of ports.filter((n: string) => !chartServices(cfg).tempo.ports.some((q) => q.name === n))) expect(['tempo-zipkin', 'tempo-otlp-legacy', 'tempo-otlp-http-legacy']).toContain(p);
      }
    });

    test('loki: no required anti-affinity survives the merge with the chart defaults; the manifests\' preferred one where replicated', () => {
      for (const env of ENVS) {
        for (const t of podTemplates(rendering(env, DIFFERENCES_KUBE_VERSION).objects).filter((x) => x.metadata.labels['app.kubernetes.io/name'] === 'loki')) {
          expect(t.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
        }
      }
    });

    test('alloy (large): the ClusterRole parses and grants get/list/watch on pods only', () => {
      const env = ENVS.find((e) => buildOf(e).env.config.logAgent === 'alloy' && buildOf(e).env.config.loki.enabled);
      expect(env).toBeDefined();
      const roles = rendering(env!, DIFFERENCES_KUBE_VERSION).releases.find((r) => r.chart.key === 'alloy')!.objects.filter((o) => o.kind === 'ClusterRole');
      expect(roles).toHaveLength(1);
      for (const rule of roles[0].rules) expect(rule).toEqual({ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] });
    });

    itWithTool('amtool', ['--version'], '.ci/run installs it (Debian package prometheus-alertmanager)')('the Alertmanager subchart runs the manifests\' config and templates, and amtool check-config accepts them as rendered', () => {
      let checked = 0;
      for (const env of ENVS) {
        const s = subchartServices(buildOf(env).env.config).alertmanager;
        if (s === undefined) continue;
        const cm = rendering(env, DIFFERENCES_KUBE_VERSION).objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === s.name)!;
        const { 'alertmanager.yml': text, ...templates } = cm.data as Record<string, string>;
        const files = { config: load(text) as any, templates };
        const manifests = alertmanagerFiles(folderObjectsOf(env, 'manifests'))!;
        // The same config and templates; only the templates' folder differs (the chart mounts them next to the config).
        expect({ ...files.config, templates: [] }).toEqual({ ...manifests.config, templates: [] });
        // templates/configmap.yaml writes each template as a `|-` block, which drops the final newline.
        const trimmed = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.replace(/\n+$/, '')]));
        expect(files.templates).toEqual(trimmed(manifests.templates));
        const r = amtoolCheckConfig({ ...files, config: adaptForAmtool(files.config, amtoolVersion()!).config });
        expect(`${env}: ${r.ok ? 'ok' : r.output}`).toBe(`${env}: ok`);
        checked++;
      }
      expect(checked).toBe(ENVS.length);
    });

    itWithTool('promtool')('promtool accepts each environment\'s rendered Prometheus config and rule files', () => {
      for (const env of ENVS) {
        const objects = rendering(env, DIFFERENCES_KUBE_VERSION).objects;
        const f = findPrometheus(objects)[0];
        // A 2.x promtool refuses keys Prometheus 3.14 reads (storage.tsdb.retention, otlp; checked in jest instead).
        const { config } = substituteKubernetesSd(forPromtool(f.config).config, objects);
        const r = promtool(['check', 'config', '--syntax-only', 'prometheus.yaml'], { 'prometheus.yaml': toYamlStream([config]).replace(/^---\n/, '') });
        expect(`${env}: ${r.ok ? 'ok' : r.output}`).toBe(`${env}: ok`);
        for (const [name, content] of Object.entries(f.ruleFiles)) {
          const rr = promtool(['check', 'rules', name], { [name]: content });
          expect(`${env} ${name}: ${rr.ok ? 'ok' : rr.output}`).toBe(`${env} ${name}: ok`);
        }
      }
    });
  });

  describe('the extension points (maximal-prod), as helm renders them', () => {
    const env = 'maximal-prod';
    const cfg = () => buildOf(env).env.config;
    const rendered = () => rendering(env, DIFFERENCES_KUBE_VERSION);
    const releaseObjects = () => rendered().releases.flatMap((r) => r.objects);

    test('every pod template of every release carries its component\'s pods settings and common.annotations', () => {
      const templates = releaseObjects().filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
      expect(templates.length).toBeGreaterThan(6);
      expect(formatProblems(checkPodSettings(releaseObjects(), MAXIMAL_PODS, cfg().common.annotations))).toBe('');
    });

    test('helm/extra/ objects carry common.annotations', () => {
      const [[key, value]] = Object.entries(cfg().common.annotations);
      const extra = folderObjectsOf(env, `helm/${HELM_EXTRA_DIR}`);
      expect(extra.length).toBeGreaterThan(0);
      for (const o of extra) expect(`${o.kind} ${o.metadata.name}: ${o.metadata.annotations?.[key]}`).toBe(`${o.kind} ${o.metadata.name}: ${value}`);
    });

    test('the extra scrape jobs and rule groups are in the Prometheus the chart runs, with their Secrets mounted', () => {
      const f = findPrometheus(rendered().objects)[0];
      const jobs = (f.config.scrape_configs as any[]).map((j) => j.job_name);
      expect(jobs.slice(-cfg().prometheus.extraScrapeConfigs.length)).toEqual(cfg().prometheus.extraScrapeConfigs.map((j) => j.jobName));
      const payments = (f.config.scrape_configs as any[]).find((j) => j.job_name === 'payments');
      const mounts: any[] = f.container.volumeMounts;
      expect(mounts.some((m) => payments.basic_auth.password_file.startsWith(`${m.mountPath}/`))).toBe(true);
      expect(f.ruleFiles['extra.rules.yaml']).toContain('alert: PaymentsTargetDown');
    });

    itWithTool('promtool')('promtool accepts the rendered config with the extra jobs, and the extra rule file', () => {
      const f = findPrometheus(rendered().objects)[0];
      const { config } = substituteKubernetesSd(forPromtool(f.config).config, rendered().objects);
      const r = promtool(['check', 'config', '--syntax-only', 'prometheus.yaml'], { 'prometheus.yaml': toYamlStream([config]).replace(/^---\n/, '') });
      expect(r.output).toContain('SUCCESS');
      const rules = promtool(['check', 'rules', 'extra.rules.yaml'], { 'extra.rules.yaml': f.ruleFiles['extra.rules.yaml'] });
      expect(`${rules.ok} ${rules.output}`).toMatch(/^true .*SUCCESS: 2 rules found/s);
    });

    test('the extra datasources are provisioned with Secret references only, and Grafana reads those Secrets', () => {
      const ds = datasourceFiles(rendered().objects).flatMap((fl) => fl.doc.datasources as any[]);
      for (const d of cfg().grafana.extraDatasources) {
        const got = ds.find((x) => x.uid === d.uid);
        expect(got).toMatchObject({ name: d.name, type: d.type });
        for (const v of Object.values(got.secureJsonData ?? {})) expect(v).toMatch(/^\$\{EXTRA_DATASOURCE_\d+_SECRET_\d+\}$/);
      }
      const grafana = rendered().objects.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/name'] === 'grafana')!;
      const env = grafana.spec.template.spec.containers[0].env as any[];
      expect(env.filter((e) => e.name.startsWith('EXTRA_DATASOURCE_')).map((e) => e.valueFrom.secretKeyRef.name).sort()).toEqual(['billing-db-grafana', 'search-grafana']);
    });

    test('the folder\'s dashboards are in the ConfigMap Grafana mounts; Prometheus may reach the discovered targets', () => {
      const dashboards = dashboardFiles(rendered().objects).map((fl) => fl.doc.uid);
      expect(dashboards).toContain('payments-overview');
      const egress = rendered().objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'prometheus-egress')!;
      const peers = JSON.stringify(egress.spec.egress);
      for (const ns of ['orders', 'billing', 'search']) expect(peers).toContain(`"kubernetes.io/metadata.name":"${ns}"`);
    });
  });

  describe('pod differences from the manifests', () => {
    test('src/outputs/helm/differences.json is what the charts render today (else run `npm run helm:differences`, then `npm run synth`)', () => {
      const project = { ...measured, environments: Object.fromEntries(PROJECT_ENVS.map((e) => [e, measured.environments[e]])) };
      expect(project).toEqual(MEASURED_DIFFERENCES);
    });

    test('1.30 and 1.34 renders have the same pod differences', async () => {
      const older = await measureDifferences(synth, renderings.filter((r) => r.kubeVersion === KUBE_VERSIONS[0]).map((r) => ({ ...r, kubeVersion: DIFFERENCES_KUBE_VERSION })), PROJECT_ENVS);
      expect(older.environments).toEqual(Object.fromEntries(PROJECT_ENVS.map((e) => [e, measured.environments[e]])));
    });

    test('every difference, in every environment rendered here, has a chart limit that explains it; every chart limit explains one', () => {
      const all = Object.values(measured.environments).flat();
      expect(all.filter((d) => limitFor(d) === undefined)).toEqual([]);
      const project = Object.values(MEASURED_DIFFERENCES.environments).flat();
      expect(CHART_LIMITS.filter((l) => !project.some((d) => limitFor(d) === l))).toEqual([]);
    });

    test.each(PROJECT_ENVS)('%s: the Helm README lists each difference with its reason', (env) => {
      const readme = synth.files.get(`${env}/helm/README.md`)!;
      for (const d of MEASURED_DIFFERENCES.environments[env]) {
        expect(readme).toContain(`manifests \`${d.manifests}\`, Helm \`${d.helm}\`. ${limitFor(d)!.reason}`);
      }
    });
  });
});

/** An address inside an IPv4 CIDR (its network address plus 3), standing for a node there. */
function addressIn(cidr: string): string {
  const [base, bits] = cidr.split('/');
  const n = base.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  const ip = ((n & mask) >>> 0) + 3;
  return [24, 16, 8, 0].map((s) => Math.floor(ip / 2 ** s) % 256).join('.');
}

/** The manifests objects of an environment, as the synth wrote them. */
function folderObjectsOf(env: string, folder: string): KubeObject[] {
  return [...synth.files.keys()].filter((p) => p.startsWith(`${env}/${folder}/`) && p.endsWith('.yaml')).sort()
    .flatMap((p) => (loadAll(synth.files.get(p)!) as KubeObject[]).filter((o) => o));
}

function mountsToken(objects: readonly KubeObject[], t: { namespace: string; spec: any }): boolean {
  if (typeof t.spec.automountServiceAccountToken === 'boolean') return t.spec.automountServiceAccountToken;
  const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === (t.spec.serviceAccountName ?? 'default') && o.metadata.namespace === t.namespace);
  return sa?.automountServiceAccountToken ?? true;
}

type RenderedPod = Pod & { readonly ports: readonly number[]; readonly token: boolean };

/** One evaluator pod per rendered pod template, with its container ports and whether it holds a token. */
function renderedPods(objects: readonly KubeObject[]): RenderedPod[] {
  return podTemplates(objects).map((t) => ({
    ...pod(t.owner, t.namespace, t.metadata.labels ?? {}),
    ports: t.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort)),
    token: mountsToken(objects, t),
  }));
}

/** The container port a Service port forwards to (a named targetPort resolved on the selected pods). */
function servicePodPortOf(objects: readonly KubeObject[], svc: KubeObject, sp: any): number | undefined {
  const target = sp?.targetPort ?? sp?.port;
  if (typeof target === 'number') return target;
  for (const t of podTemplates(objects).filter((x) => x.namespace === svc.metadata.namespace)) {
    if (!Object.entries(svc.spec.selector ?? {}).every(([k, v]) => t.metadata.labels?.[k] === v)) continue;
    for (const c of t.spec.containers) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  }
  return undefined;
}

/** The pod port behind a wire's Service port (the wire's own port when it is not on a Service port). */
function servicePodPort(objects: readonly KubeObject[], w: Wire): number {
  const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === w.to.service && o.metadata.namespace === w.to.namespace);
  const sp = svc?.spec.ports.find((p: any) => p.port === w.to.port);
  return (svc && sp ? servicePodPortOf(objects, svc, sp) : undefined) ?? w.to.port;
}

/**
 * What a chart cannot express, per this run's measured differences of the environment (each with a chart
 * limit, tested below), as exemptions: safety items
 * for `checkWorkloadSafety` and patterns for the line-based checks. Nothing else is exempt.
 */
function chartExemptions(env: string, objects: readonly KubeObject[]): { safety: SafetyExemption[]; lines: RegExp[] } {
  const byFact: Readonly<Record<string, { safety: SafetyExemption['items'][number][]; line?: (container: string) => RegExp }>> = {
    livenessProbe: { safety: ['livenessProbe'], line: (c) => new RegExp(`container ${c} has no livenessProbe`) },
    readinessProbe: { safety: ['readinessProbe'], line: (c) => new RegExp(`container ${c} has no readinessProbe`) },
    securityContext: { safety: ['readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'dropAllCapabilities'] },
    'env GOMEMLIMIT': { safety: [], line: (c) => new RegExp(`container ${c}: GOMEMLIMIT from .* equals the limit`) },
  };
  const safety: SafetyExemption[] = [];
  const lines: RegExp[] = [];
  for (const d of measured.environments[env] ?? []) {
    const rule = byFact[d.fact];
    if (rule === undefined || d.helmWorkload === 'none') continue;
    const [, nsName] = d.helmWorkload.split(' ');
    const [namespace, workload] = nsName.split('/');
    if (!objects.some((o) => o.metadata.name === workload && o.metadata.namespace === namespace)) continue;
    if (rule.safety.length > 0) safety.push({ workload, namespace, items: rule.safety, reason: limitFor(d)?.reason ?? '' });
    if (rule.line) lines.push(new RegExp(`^\\S+ ${namespace}/${workload}: ${rule.line(d.container).source}`));
  }
  return { safety, lines };
}
