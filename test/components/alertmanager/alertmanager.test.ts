/**
 * The in-stack Alertmanager: rendering (upstream keys, credentials only as mounted *_file paths), pods
 * (probes, storage, peers), wiring, validation failures with path/value/fix, amtool over every rendered
 * config, routing cases through `amtool config routes test`, and the Watchdog rule through promtool.
 */
import { load } from 'js-yaml';
import { ALERTMANAGER_PATHS, parseMatcher, renderAlertmanagerConfig } from '../../../src/components/alertmanager/alertmanager-config';
import { ALERTMANAGER_DEFAULTS, DEFAULT_INHIBIT_RULES } from '../../../src/components/alertmanager/config';
import { WATCHDOG_RULE_FILE, watchdogRuleFiles } from '../../../src/components/alertmanager/watchdog-rules';
import { userSecrets } from '../../../src/lib/user-secrets';
import {
  adaptForAmtool, alertmanagerFiles, amtoolCheckConfig, amtoolRoute, amtoolVersion, findPrometheus, itWithTool, promtool,
} from '../../support/checks';
import { WEBHOOK_PLACEHOLDER_URL } from '../../support/checks/amtool';
import { errorOf } from '../../support/config-errors';
import { MAXIMAL_OVERRIDES } from '../../support/maximal';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';
import { CONFIG_LABELS, configNamed } from '../../verification/configs';

/* eslint-disable @typescript-eslint/no-explicit-any */

const NS = 'observability';
const itAmtool = itWithTool('amtool');
const itPromtool = itWithTool('promtool');

describe('Alertmanager rendering', () => {
  const maximal = buildEnv('prod', MAXIMAL_OVERRIDES, 'maximal');
  const objects = objectsOf(maximal);
  const config: any = configMapYaml(objects, 'alertmanager', 'alertmanager.yaml', NS);
  const sts = find(objects, 'StatefulSet', 'alertmanager', NS);
  const container = sts.spec.template.spec.containers[0];

  it('writes every credential as a *_file path under a mounted Secret, never a value', () => {
    const files: string[] = [];
    const walk = (v: any, key = ''): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
      else if (key.endsWith('_file')) files.push(String(v));
    };
    walk(config.receivers);
    expect(files.length).toBe(6);
    const mounts = new Map<string, string>(container.volumeMounts.map((m: any) => [m.mountPath, m.name]));
    const volumes = new Map<string, any>(sts.spec.template.spec.volumes.map((v: any) => [v.name, v]));
    for (const f of files) {
      const dir = f.slice(0, f.lastIndexOf('/'));
      const key = f.slice(f.lastIndexOf('/') + 1);
      expect(dir.startsWith(`${ALERTMANAGER_PATHS.secretsDir}/`)).toBe(true);
      const vol = volumes.get(mounts.get(dir)!);
      expect(vol?.secret?.items.map((i: any) => i.key)).toContain(key);
    }
    // No integration carries its secret inline.
    const inline: Record<string, string[]> = {
      webhook_configs: ['url'], slack_configs: ['api_url', 'app_token'], email_configs: ['auth_password', 'auth_secret'],
      pagerduty_configs: ['routing_key', 'service_key'], opsgenie_configs: ['api_key'], msteamsv2_configs: ['webhook_url'],
    };
    for (const r of config.receivers) for (const [kind, keys] of Object.entries(inline)) for (const c of r[kind] ?? []) for (const k of keys) expect(c).not.toHaveProperty(k);
  });

  it('lists each receiver Secret with its keys for the user to create', () => {
    const secrets = userSecrets(maximal.env.config).filter((s) => s.purpose.includes('Alertmanager receiver'));
    expect(secrets.map((s) => [s.name, s.keys])).toEqual([
      ['alertmanager-receivers', ['deadmansswitch-url', 'pagerduty-routing-key', 'slack-webhook-url', 'smtp-password', 'teams-webhook-url']],
      ['opsgenie', ['api-key']],
    ]);
  });

  it('routes the Watchdog first, keeps the user routes after it, and inhibits warnings under a critical of the same alert and namespace', () => {
    expect(config.route.routes[0]).toEqual({ receiver: 'deadmansswitch', matchers: ['alertname="Watchdog"'], group_wait: '0s', group_interval: '1m', repeat_interval: '1m' });
    expect(config.route.routes.slice(1).map((r: any) => r.receiver)).toEqual(['pager', 'team-a-slack', 'ops-teams']);
    expect(config.inhibit_rules).toEqual([{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'namespace'] }]);
    expect(DEFAULT_INHIBIT_RULES).toEqual(config.inhibit_rules);
  });

  it('meshes three replicas over the headless Service (TCP and UDP gossip), one replica has no listener', () => {
    expect(sts.spec.replicas).toBe(3);
    expect(container.args.filter((a: string) => a.startsWith('--cluster.peer='))).toEqual([0, 1, 2].map((i) => `--cluster.peer=alertmanager-${i}.alertmanager-headless.${NS}.svc:9094`));
    const headless = find(objects, 'Service', 'alertmanager-headless', NS);
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['9093/TCP', '9094/TCP', '9094/UDP']);
    expect(find(objects, 'PodDisruptionBudget', 'alertmanager', NS).spec.maxUnavailable).toBe(1);
    const dev = objectsOf(buildEnv('dev'));
    const one = find(dev, 'StatefulSet', 'alertmanager', NS).spec.template.spec.containers[0];
    expect(one.args).toContain('--cluster.listen-address=');
    expect(dev.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'alertmanager')).toBe(false);
  });

  it('keeps silences and the notification log on a claim in prod and large, an emptyDir in dev; probes on the API port', () => {
    expect(find(objectsOf(buildEnv('prod')), 'StatefulSet', 'alertmanager', NS).spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expect(find(objectsOf(buildEnv('large')), 'StatefulSet', 'alertmanager', NS).spec.volumeClaimTemplates).toHaveLength(1);
    const dev = find(objectsOf(buildEnv('dev')), 'StatefulSet', 'alertmanager', NS);
    expect(dev.spec.volumeClaimTemplates).toEqual([]);
    expect(dev.spec.template.spec.volumes.find((v: any) => v.name === 'data').emptyDir).toBeDefined();
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/-/ready', port: 'http-metrics' });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/-/healthy', port: 'http-metrics' });
  });

  it('has Prometheus notify every replica, and the wires and policies for Prometheus, Grafana and the peers', () => {
    const prom = findPrometheus(objects)[0].config;
    expect(prom.alerting.alertmanagers.flatMap((a: any) => a.static_configs[0].targets).slice(0, 3))
      .toEqual([0, 1, 2].map((i) => `alertmanager-${i}.alertmanager-headless.${NS}.svc:9093`));
    const wires = maximal.wires.filter((w) => w.to.component === 'alertmanager').map((w) => `${w.from} ${w.kind} ${w.to.service}:${w.to.port}`);
    expect(wires.sort()).toEqual(['alertmanager gossip alertmanager-headless:9094', 'grafana http alertmanager:9093', 'prometheus http alertmanager-headless:9093', 'prometheus scrape alertmanager:9093']);
    const ingress = find(objects, 'NetworkPolicy', 'alertmanager-ingress', NS);
    expect(ingress.spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels['app.kubernetes.io/name'])).toEqual(['alertmanager', 'grafana', 'prometheus']);
    const udp = find(objects, 'NetworkPolicy', 'alertmanager-gossip-udp', NS);
    expect(udp.spec.ingress[0].ports).toEqual([{ protocol: 'UDP', port: 9094 }]);
    const notify = find(objects, 'NetworkPolicy', 'alertmanager-notify-egress', NS);
    expect(notify.spec.egress[0].ports.map((p: any) => p.port)).toEqual([443, 587]);
  });

  it('gives Grafana an Alertmanager datasource in every profile, and in large the local rules\' Prometheus next to the store', () => {
    for (const profile of ['dev', 'prod', 'large'] as const) {
      const ds: any[] = configMapYaml(objectsOf(buildEnv(profile)), 'grafana', 'datasources.yaml', NS).datasources;
      // jsonData keys of Grafana's Alertmanager datasource (AlertManagerDataSourceJsonData).
      expect(ds.find((d) => d.type === 'alertmanager')).toMatchObject({
        uid: 'alertmanager', url: `http://alertmanager.${NS}.svc:9093`, access: 'proxy', jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
      });
      const local = ds.find((d) => d.uid === 'prometheus-local');
      if (profile === 'large') expect(local).toMatchObject({ type: 'prometheus', url: `http://prometheus.${NS}.svc:9090`, jsonData: { manageAlerts: true, alertmanagerUid: 'alertmanager' } });
      else {
        expect(local).toBeUndefined();
        expect(ds.find((d) => d.uid === 'prometheus').jsonData.alertmanagerUid).toBe('alertmanager');
      }
    }
  });

  it('renders nothing without alerts, and no notify egress without an integration', () => {
    expect(objectsOf(buildEnv('dev', { alerts: { enabled: false } })).some((o) => o.metadata.name === 'alertmanager')).toBe(false);
    expect(objectsOf(buildEnv('dev')).some((o) => o.metadata.name === 'alertmanager-notify-egress')).toBe(false);
  });
});

describe('Alertmanager validation', () => {
  const am = (a: Record<string, unknown>) => errorOf({ alertmanager: a });

  it('refuses a route to an unknown receiver, with the receivers there are', () => {
    expect(am({ route: { routes: [{ receiver: 'pagr', matchers: ['severity="critical"'] }] } }))
      .toContain('alertmanager.route.routes[0].receiver: "pagr" is not a receiver in alertmanager.receivers; use one of: default, watchdog, or add it to alertmanager.receivers');
  });

  it('refuses bad matchers, zero intervals, bad group_by labels and root matchers', () => {
    const msg = am({ route: { matchers: ['a="b"'], group_by: ['alert-name', '...'], repeat_interval: '0s', routes: [{ matchers: ['severity=="x"', 'ns=~"("'] }] } });
    expect(msg).toContain('alertmanager.route.routes[0].matchers[0]: "severity==\\"x\\"" is not a matcher; write label, operator (=, !=, =~, !~) and a quoted value');
    expect(msg).toContain('alertmanager.route.routes[0].matchers[1]: "ns=~\\"(\\"" has a value that is not a regular expression');
    expect(msg).toContain('alertmanager.route.repeat_interval: "0s" must not be zero');
    expect(msg).toContain('alertmanager.route.group_by[0]: "alert-name" is not a label name');
    expect(msg).toContain('alertmanager.route.group_by: ["alert-name","..."] mixes "..." with label names');
    expect(msg).toContain('alertmanager.route.matchers: ["a=\\"b\\""] is set on the root route, which must match every alert');
  });

  it('refuses duplicate receivers, missing Secret keys, bad e-mail settings and unknown integrations', () => {
    const msg = am({
      receivers: [
        { name: 'default' }, { name: 'default' },
        { name: 'mail', email_configs: [{ to: 'nobody', from: 'am@example.com', smarthost: 'smtp.example.com', auth_password_file: { secretName: 'Bad_Name', key: '' } }] },
        { name: 'x', telegram_configs: [{}] },
        { name: 'hook', webhook_configs: [{}] },
      ],
    });
    expect(msg).toContain('alertmanager.receivers[1].name: "default" is used by another receiver');
    expect(msg).toContain('alertmanager.receivers[2].email_configs[0].to: "nobody" is not an e-mail address');
    expect(msg).toContain('alertmanager.receivers[2].email_configs[0].smarthost: "smtp.example.com" is not host:port; use e.g. "smtp.example.com:587"');
    expect(msg).toContain('alertmanager.receivers[2].email_configs[0].auth_password_file.secretName: "Bad_Name" is not a valid DNS name');
    expect(msg).toContain('alertmanager.receivers[2].email_configs[0].auth_username: undefined is empty, and auth_password_file is set');
    expect(msg).toContain('alertmanager.receivers[3].telegram_configs: "telegram_configs" is not an integration obs-stack renders');
    expect(msg).toContain('alertmanager.receivers[4].webhook_configs[0].url_file: undefined must name a Secret key');
  });

  it('refuses a Watchdog receiver that does not exist and a template that is not a .tmpl file', () => {
    const msg = am({ watchdog: { receiver: 'dms' }, templates: { 'x.txt': '{{ define "x" }' } });
    expect(msg).toContain('alertmanager.watchdog.receiver: "dms" is not a receiver in alertmanager.receivers; add a receiver named "dms"');
    expect(msg).toContain('alertmanager.templates.x.txt: "x.txt" is not a template file name');
    expect(msg).toContain('has unbalanced {{ and }}');
  });

  it('parses matchers as Alertmanager writes them', () => {
    expect(parseMatcher('severity="critical"')).toEqual({ name: 'severity', type: '=', value: 'critical' });
    expect(parseMatcher('namespace=~"team-a-.*"')).toEqual({ name: 'namespace', type: '=~', value: 'team-a-.*' });
    expect(parseMatcher('component!=""')).toEqual({ name: 'component', type: '!=', value: '' });
    expect(parseMatcher('team!~ops')).toEqual({ name: 'team', type: '!~', value: 'ops' });
    expect(parseMatcher('a b')).toBeUndefined();
  });
});

describe('amtool over every rendered Alertmanager config', () => {
  const withAlertmanager = CONFIG_LABELS.filter((l) => alertmanagerFiles(configNamed(l).objects) !== undefined);

  it('covers every environment, and the maximal config', () => {
    expect(withAlertmanager).toEqual(expect.arrayContaining(['dev', 'prod', 'large', 'verify-maximal']));
  });

  it('adapts only the keys newer than the installed amtool, and only for an amtool that needs it', () => {
    const files = alertmanagerFiles(configNamed('verify-maximal').objects)!;
    const { config, changes } = adaptForAmtool(files.config, [0, 25]);
    expect(changes).toEqual(['receivers[ops-teams].msteamsv2_configs removed', 'receivers[deadmansswitch].webhook_configs[0].url_file -> url']);
    // Everything else reaches amtool unchanged.
    const restored = JSON.parse(JSON.stringify(config));
    restored.receivers.find((r: any) => r.name === 'ops-teams').msteamsv2_configs = files.config.receivers.find((r: any) => r.name === 'ops-teams').msteamsv2_configs;
    const hook = restored.receivers.find((r: any) => r.name === 'deadmansswitch').webhook_configs[0];
    expect(hook.url).toBe(WEBHOOK_PLACEHOLDER_URL);
    delete hook.url;
    hook.url_file = files.config.receivers.find((r: any) => r.name === 'deadmansswitch').webhook_configs[0].url_file;
    expect(restored).toEqual(files.config);
    expect(adaptForAmtool(files.config, [0, 34]).changes).toEqual([]);
  });

  itAmtool.each(CONFIG_LABELS.filter((l) => alertmanagerFiles(configNamed(l).objects) !== undefined))('%s: amtool check-config succeeds (config and templates)', (label) => {
    const files = alertmanagerFiles(configNamed(label).objects)!;
    const adapted = { ...files, config: adaptForAmtool(files.config, amtoolVersion()!).config };
    const r = amtoolCheckConfig(adapted);
    expect(r.output).toContain(`- ${files.config.receivers.length} receivers`);
    // One template glob, matching every mounted template file (a broken one fails: see below).
    expect(r.output).toContain('- 1 templates');
    expect(r.ok).toBe(true);
  });

  itAmtool('amtool check-config fails on a route to an undefined receiver and on a broken template (the check can fail)', () => {
    const files = alertmanagerFiles(configNamed('dev').objects)!;
    const badRoute = { ...files, config: { ...files.config, route: { ...files.config.route, receiver: 'nobody' } } };
    expect(amtoolCheckConfig(badRoute)).toMatchObject({ ok: false, output: expect.stringContaining('undefined receiver "nobody"') });
    const badTemplate = { ...files, templates: { ...files.templates, 'broken.tmpl': '{{ define "x" }}{{ .Foo ' } };
    expect(amtoolCheckConfig(badTemplate).ok).toBe(false);
  });
});

describe('amtool config routes test: which receiver gets which alert', () => {
  const route = (label: string, labels: Record<string, string>) => {
    const files = alertmanagerFiles(configNamed(label).objects)!;
    return amtoolRoute({ ...files, config: adaptForAmtool(files.config, amtoolVersion()!).config }, labels).receivers;
  };

  itAmtool('default routing (dev, prod, large): the Watchdog to its own receiver, everything else to default', () => {
    for (const label of ['dev', 'prod', 'large']) {
      expect(route(label, { alertname: 'Watchdog', severity: 'none' })).toEqual(['watchdog']);
      expect(route(label, { alertname: 'ServiceHighErrorRatio', severity: 'critical', namespace: 'shop' })).toEqual(['default']);
      expect(route(label, { alertname: 'ObsStackComponentDown', severity: 'critical', component: 'loki' })).toEqual(['default']);
    }
  });

  itAmtool.each([
    [{ alertname: 'Watchdog', severity: 'none', component: 'x' }, ['deadmansswitch']],
    [{ alertname: 'ServiceHighErrorRatio', severity: 'critical', namespace: 'team-a-web' }, ['pager', 'team-a-slack']],
    [{ alertname: 'ServiceHighLatencyP99', severity: 'warning', namespace: 'team-a-web' }, ['team-a-slack']],
    [{ alertname: 'ObsStackComponentDown', severity: 'critical', component: 'loki' }, ['pager', 'ops-teams']],
    [{ alertname: 'LokiRequestErrors', severity: 'warning', component: 'loki' }, ['ops-teams']],
    [{ alertname: 'ServiceHighErrorRatio', severity: 'warning', namespace: 'shop' }, ['team-email']],
  ] as const)('maximal: %j -> %j', (labels, receivers) => {
    expect(route('verify-maximal', labels)).toEqual(receivers);
  });
});

describe('the Watchdog rule', () => {
  it('is in Prometheus\'s rules wherever alerts are on, and not elsewhere', () => {
    expect(Object.keys(findPrometheus(configNamed('dev').objects)[0].ruleFiles)).toContain(WATCHDOG_RULE_FILE);
    expect(Object.keys(findPrometheus(configNamed('verify-minimal').objects)[0].ruleFiles)).not.toContain(WATCHDOG_RULE_FILE);
  });

  itPromtool('always fires, with severity none (promtool test rules)', () => {
    const tests = {
      rule_files: [WATCHDOG_RULE_FILE],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [],
        alert_rule_test: [{ eval_time: '5m', alertname: 'Watchdog', exp_alerts: [{ exp_labels: { severity: 'none' }, exp_annotations: (load(watchdogRuleFiles()[WATCHDOG_RULE_FILE]) as any).groups[0].rules[0].annotations }] }],
      }],
    };
    const r = promtool(['test', 'rules', 'tests.yaml'], { ...watchdogRuleFiles(), 'tests.yaml': JSON.stringify(tests) });
    expect(r.output).toContain('SUCCESS');
    const never = { ...tests, tests: [{ ...tests.tests[0], alert_rule_test: [{ eval_time: '5m', alertname: 'Watchdog', exp_alerts: [] }] }] };
    expect(promtool(['test', 'rules', 'tests.yaml'], { ...watchdogRuleFiles(), 'tests.yaml': JSON.stringify(never) }).ok).toBe(false);
  });

  it('the defaults render a config with the default and watchdog receivers only', () => {
    expect(renderAlertmanagerConfig({ config: ALERTMANAGER_DEFAULTS }).receivers).toEqual([{ name: 'default' }, { name: 'watchdog' }]);
  });
});
