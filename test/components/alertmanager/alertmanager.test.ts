/**
 * The in-stack Alertmanager: rendering (Alertmanager v0.34.0 key names, credentials only as mounted *_file
 * paths), pods (probes, storage, peers), wiring and policies, Grafana's datasources, validation with
 * path/value/fix, amtool over every rendered config, routing cases through `amtool config routes test`, and
 * the Watchdog's route.
 */
import { load } from 'js-yaml';
import { ALERTMANAGER_PATHS, renderAlertmanagerConfig } from '../../../src/components/alertmanager/alertmanager-config';
import { ALERTMANAGER_DEFAULTS, DEFAULT_INHIBIT_RULES, parseMatcher } from '../../../src/components/alertmanager/config';
import { WATCHDOG_ALERT } from '../../../src/lib/rules';
import { externalEndpoints } from '../../../src/lib/external';
import { userSecrets } from '../../../src/lib/user-secrets';
import {
  adaptForAmtool, alertmanagerFiles, amtoolCheckConfig, amtoolRoute, amtoolVersion, findPrometheus, itWithTool,
} from '../../support/checks';
import { WEBHOOK_PLACEHOLDER_URL } from '../../support/checks/amtool';
import { errorOf } from '../../support/config-errors';
import { MAXIMAL_OVERRIDES } from '../../support/maximal';
import { buildEnv, configMapYaml, find, objectsOf } from '../../support/synth';
import { environmentReadme } from '../../../src/outputs/summary';
import { CONFIG_LABELS, configNamed } from '../../verification/configs';


const NS = 'observability';
const itAmtool = itWithTool('amtool', ['--version'], '.ci/run installs it (Debian package prometheus-alertmanager)');

/**
 * The YAML keys of the Alertmanager v0.34.0 config structs obs-stack writes (config/config.go Config, Route,
 * Receiver, GlobalConfig; config/common/inhibitrule.go; config/notifiers.go EmailConfig, SlackConfig;
 * notify/{webhook,pagerduty,opsgenie,msteamsv2}/config.go; `send_resolved` from the embedded NotifierConfig).
 */
const ALERTMANAGER_0_34_KEYS: Record<string, readonly string[]> = {
  config: ['global', 'route', 'inhibit_rules', 'receivers', 'templates', 'mute_time_intervals', 'time_intervals', 'tracing', 'event_recorder'],
  global: ['resolve_timeout', 'smtp_from', 'smtp_smarthost', 'slack_api_url', 'slack_api_url_file', 'opsgenie_api_url', 'http_config'],
  route: ['receiver', 'group_by', 'match', 'match_re', 'matchers', 'mute_time_intervals', 'active_time_intervals', 'continue', 'routes', 'group_wait', 'group_interval', 'repeat_interval', 'labels'],
  inhibit_rules: ['name', 'source_match', 'source_match_re', 'source_matchers', 'target_match', 'target_match_re', 'target_matchers', 'equal'],
  receivers: ['name', 'labels', 'discord_configs', 'email_configs', 'incidentio_configs', 'pagerduty_configs', 'slack_configs', 'webhook_configs', 'opsgenie_configs',
    'wechat_configs', 'pushover_configs', 'victorops_configs', 'sns_configs', 'telegram_configs', 'webex_configs', 'msteams_configs', 'msteamsv2_configs', 'jira_configs',
    'rocketchat_configs', 'mattermost_configs'],
  webhook_configs: ['send_resolved', 'http_config', 'url', 'url_file', 'max_alerts', 'timeout', 'payload'],
  pagerduty_configs: ['send_resolved', 'http_config', 'service_key', 'service_key_file', 'routing_key', 'routing_key_file', 'url', 'client', 'client_url', 'description',
    'details', 'images', 'links', 'source', 'severity', 'class', 'component', 'group', 'timeout'],
  opsgenie_configs: ['send_resolved', 'http_config', 'api_key', 'api_key_file', 'api_url', 'message', 'description', 'source', 'details', 'entity', 'responders', 'actions',
    'tags', 'note', 'priority', 'update_alerts'],
  msteamsv2_configs: ['send_resolved', 'http_config', 'webhook_url', 'webhook_url_file', 'title', 'text'],
  email_configs: ['send_resolved', 'to', 'from', 'hello', 'smarthost', 'auth_username', 'auth_password', 'auth_password_file', 'auth_secret', 'auth_secret_file', 'auth_identity',
    'headers', 'html', 'text', 'require_tls', 'tls_config', 'force_implicit_tls', 'threading'],
  slack_configs: ['send_resolved', 'http_config', 'api_url', 'api_url_file', 'app_token', 'app_token_file', 'app_url', 'channel', 'username', 'color', 'title', 'title_link',
    'pretext', 'text', 'message_text', 'fields', 'short_fields', 'footer', 'fallback', 'callback_id', 'icon_emoji', 'icon_url', 'image_url', 'thumb_url', 'link_names',
    'mrkdwn_in', 'actions', 'update_message', 'timeout'],
};

/** Every key of a rendered config that Alertmanager 0.34 does not know, with its place. */
function unknownKeys(config: any): string[] {
  const out: string[] = [];
  const check = (obj: any, kind: string, where: string) => {
    for (const k of Object.keys(obj ?? {})) if (!ALERTMANAGER_0_34_KEYS[kind].includes(k)) out.push(`${where}.${k}`);
  };
  check(config, 'config', '');
  check(config.global, 'global', 'global');
  const route = (r: any, where: string) => { check(r, 'route', where); (r.routes ?? []).forEach((c: any, i: number) => route(c, `${where}.routes[${i}]`)); };
  route(config.route, 'route');
  (config.inhibit_rules ?? []).forEach((r: any, i: number) => check(r, 'inhibit_rules', `inhibit_rules[${i}]`));
  for (const r of config.receivers ?? []) {
    check(r, 'receivers', `receivers[${r.name}]`);
    for (const kind of Object.keys(r).filter((k) => k.endsWith('_configs'))) {
      (r[kind] as any[]).forEach((c, i) => check(c, kind, `receivers[${r.name}].${kind}[${i}]`));
    }
  }
  return out;
}

describe('Alertmanager rendering', () => {
  const maximal = buildEnv('prod', MAXIMAL_OVERRIDES, 'maximal');
  const objects = objectsOf(maximal);
  const config: any = configMapYaml(objects, 'alertmanager', 'alertmanager.yaml', NS);
  const sts = find(objects, 'StatefulSet', 'alertmanager', NS);
  const container = sts.spec.template.spec.containers[0];

  it('writes only keys Alertmanager v0.34.0 reads (every receiver kind included); the check fails on a stray key', () => {
    expect(config.receivers.flatMap((r: any) => Object.keys(r).filter((k) => k.endsWith('_configs'))).sort())
      .toEqual(['email_configs', 'msteamsv2_configs', 'opsgenie_configs', 'pagerduty_configs', 'slack_configs', 'webhook_configs']);
    expect(unknownKeys(config)).toEqual([]);
    for (const label of ['dev', 'prod', 'large']) expect(unknownKeys(alertmanagerFiles(configNamed(label).objects)!.config)).toEqual([]);
    const stray = JSON.parse(JSON.stringify(config));
    stray.route.group_waits = '1s';
    stray.receivers[0].email_configs[0].password_file = '/x';
    expect(unknownKeys(stray)).toEqual(['route.group_waits', 'receivers[team-email].email_configs[0].password_file']);
  });

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
    // The chat integrations use obs-stack's templates unless a receiver sets its own.
    expect(config.receivers.find((r: any) => r.name === 'team-a-slack').slack_configs[0]).toMatchObject({ title: '{{ template "obs-stack.title" . }}', text: '{{ template "obs-stack.text" . }}' });
    expect(config.templates).toEqual([`${ALERTMANAGER_PATHS.templatesDir}/*.tmpl`]);
    expect(Object.keys(find(objects, 'ConfigMap', 'alertmanager-templates', NS).data)).toEqual(['obs-stack.tmpl', 'team.tmpl']);
  });

  it('meshes three replicas over the headless Service (TCP and UDP gossip); one replica has no listener', () => {
    expect(sts.spec.replicas).toBe(3);
    expect(container.args.filter((a: string) => a.startsWith('--cluster.peer='))).toEqual([0, 1, 2].map((i) => `--cluster.peer=alertmanager-${i}.alertmanager-headless.${NS}.svc:9094`));
    expect(container.ports.map((p: any) => `${p.name}:${p.containerPort}/${p.protocol}`)).toEqual(['http-metrics:9093/TCP', 'cluster:9094/TCP', 'cluster-udp:9094/UDP']);
    const headless = find(objects, 'Service', 'alertmanager-headless', NS);
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['9093/TCP', '9094/TCP', '9094/UDP']);
    expect(find(objects, 'PodDisruptionBudget', 'alertmanager', NS).spec.maxUnavailable).toBe(1);
    const dev = objectsOf(buildEnv('dev'));
    const one = find(dev, 'StatefulSet', 'alertmanager', NS).spec.template.spec.containers[0];
    expect(one.args).toContain('--cluster.listen-address=');
    expect(one.args.some((a: string) => a.startsWith('--cluster.peer'))).toBe(false);
    expect(dev.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'alertmanager')).toBe(false);
  });

  it('keeps silences and the notification log on a claim in prod and large, an emptyDir in dev; probes on the API port', () => {
    expect(find(objectsOf(buildEnv('prod')), 'StatefulSet', 'alertmanager', NS).spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    const large = find(objectsOf(buildEnv('large', undefined, 'large')), 'StatefulSet', 'alertmanager', NS);
    expect([large.spec.replicas, large.spec.volumeClaimTemplates.length]).toEqual([2, 1]);
    const dev = find(objectsOf(buildEnv('dev')), 'StatefulSet', 'alertmanager', NS);
    expect(dev.spec.volumeClaimTemplates ?? []).toEqual([]);
    expect(dev.spec.template.spec.volumes.find((v: any) => v.name === 'data').emptyDir).toBeDefined();
    expect(container.image).toBe('registry.example.com/mirror/prometheus/alertmanager:v0.34.0');
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/-/ready', port: 'http-metrics' });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/-/healthy', port: 'http-metrics' });
    expect(sts.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
  });

  it('has Prometheus notify every replica, and the wires and policies for Prometheus, Grafana, the peers and the notifications', () => {
    const prom = findPrometheus(objects)[0].config;
    expect(prom.alerting.alertmanagers.flatMap((a: any) => a.static_configs[0].targets).slice(0, 3))
      .toEqual([0, 1, 2].map((i) => `alertmanager-${i}.alertmanager-headless.${NS}.svc:9093`));
    const wires = maximal.wires.filter((w) => w.to.component === 'alertmanager').map((w) => `${w.from} ${w.kind} ${w.to.service}:${w.to.port}`);
    expect(wires.sort()).toEqual(['alertmanager gossip alertmanager-headless:9094', 'grafana http alertmanager:9093', 'prometheus http alertmanager-headless:9093', 'prometheus scrape alertmanager:9093']);
    const ingress = find(objects, 'NetworkPolicy', 'alertmanager-ingress', NS);
    const rule = (name: string) => ingress.spec.ingress.find((r: any) => r.from[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === name);
    expect(rule('alertmanager').ports).toEqual([{ protocol: 'TCP', port: 9094 }, { protocol: 'UDP', port: 9094 }]);
    expect(rule('grafana').ports).toEqual([{ protocol: 'TCP', port: 9093 }]);
    const egress = find(objects, 'NetworkPolicy', 'alertmanager-egress', NS).spec.egress;
    expect(egress.find((r: any) => r.to[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'alertmanager').ports)
      .toEqual([{ protocol: 'TCP', port: 9094 }, { protocol: 'UDP', port: 9094 }]);
    // Notifications: the receivers' addresses are in Secrets, so their ports (443, the SMTP 587) to the external CIDRs.
    const external = egress.find((r: any) => r.to[0].ipBlock !== undefined);
    expect(external.ports.map((p: any) => p.port)).toEqual([443, 587]);
    expect(externalEndpoints(maximal.env.config).filter((e) => e.from === 'alertmanager').map((e) => `${e.name} ${e.host ?? '-'}:${e.port}`)).toEqual([
      'alertmanager-pager-opsgenie-0 api.eu.opsgenie.com:443', 'alertmanager-notifications-443 -:443', 'alertmanager-notifications-587 -:587',
    ]);
  });

  it('gives Grafana an Alertmanager datasource in every profile, and in large the local rules\' Prometheus next to the store', () => {
    for (const profile of ['dev', 'prod', 'large'] as const) {
      const ds: any[] = configMapYaml(objectsOf(buildEnv(profile, undefined, profile)), 'grafana', 'datasources.yaml', NS).datasources;
      expect(ds.find((d) => d.type === 'alertmanager')).toMatchObject({
        uid: 'alertmanager', url: `http://alertmanager.${NS}.svc:9093`, access: 'proxy', jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
      });
      const local = ds.find((d) => d.uid === 'prometheus-local');
      if (profile === 'large') {
        expect(local).toMatchObject({ type: 'prometheus', url: `http://prometheus.${NS}.svc:9090`, jsonData: { manageAlerts: true, alertmanagerUid: 'alertmanager' } });
        // The store's credentials stay on the store's datasource.
        expect(local.basicAuth).toBeUndefined();
        expect(local.secureJsonData).toBeUndefined();
      } else {
        expect(local).toBeUndefined();
        expect(ds.find((d) => d.uid === 'prometheus').jsonData.alertmanagerUid).toBe('alertmanager');
      }
    }
  });

  it('renders nothing without alerts, and no notification egress without an integration', () => {
    const off = buildEnv('dev', { alerts: { enabled: false } });
    expect(objectsOf(off).some((o) => o.metadata.name === 'alertmanager')).toBe(false);
    expect(off.wires.some((w) => w.to.component === 'alertmanager')).toBe(false);
    expect(externalEndpoints(buildEnv('dev').env.config).some((e) => e.from === 'alertmanager')).toBe(false);
  });
});

describe('Alertmanager validation (path, value as given, fix)', () => {
  const am = (a: Record<string, unknown>) => errorOf({ alertmanager: a });

  it('refuses a route to an unknown receiver, with the receivers there are', () => {
    expect(am({ route: { routes: [{ receiver: 'pagr', matchers: ['severity="critical"'] }] } }))
      .toContain('alertmanager.route.routes[0].receiver: "pagr" is not a receiver in alertmanager.receivers; use one of: default, watchdog, or add it to alertmanager.receivers');
  });

  it('refuses bad matchers, zero intervals, bad group_by labels and root matchers', () => {
    const msg = am({ route: { group_by: ['alert-name'], repeat_interval: '0s', routes: [{ matchers: ['severity=="x"', 'ns=~"("'] }] } });
    expect(msg).toContain('alertmanager.route.routes[0].matchers[0]: "severity==\\"x\\"" is not a matcher; write a label, an operator (=, !=, =~, !~) and a quoted value');
    expect(msg).toContain('alertmanager.route.routes[0].matchers[1]: "ns=~\\"(\\"" has a value that is not an RE2 regular expression');
    expect(msg).toContain('alertmanager.route.repeat_interval: "0s" is zero, which Alertmanager refuses; use a positive duration, e.g. "4h"');
    expect(msg).toContain('alertmanager.route.group_by[0]: "alert-name" is not a label name');
    expect(am({ route: { group_by: ['alertname', '...'] } })).toContain('alertmanager.route.group_by: ["alertname","..."] mixes "..." with label names; use ["..."] alone');
    expect(am({ route: { matchers: ['a="b"'] } })).toContain('alertmanager.route.matchers: ["a=\\"b\\""] is set on the root route, which must match every alert; move the matchers to a child route');
    // group_wait may be zero (the Watchdog's is).
    expect(() => errorOf({ alertmanager: { route: { group_wait: '0s' } } })).toThrow('expected the configuration to be refused');
  });

  it('refuses duplicate receivers, bad e-mail settings, unknown integrations and a credential given as a value', () => {
    expect(am({ receivers: [{ name: 'default' }, { name: 'default' }] }))
      .toContain('alertmanager.receivers[1].name: "default" is used by another receiver; give each receiver its own name');
    const msg = am({
      receivers: [
        { name: 'default' },
        { name: 'mail', email_configs: [{ to: 'nobody', from: 'am@example.com', smarthost: 'smtp.example.com', auth_password_file: { secretName: 'Bad_Name', key: 'k' } }] },
        { name: 'x', telegram_configs: [{}] },
        { name: 'hook', webhook_configs: [{ url: 'https://hooks.example.com/T0K3N' }] },
      ],
    });
    expect(msg).toContain('alertmanager.receivers[1].email_configs[0].to: "nobody" is not an e-mail address; use e.g. "oncall@example.com"');
    expect(msg).toContain('alertmanager.receivers[1].email_configs[0].smarthost: "smtp.example.com" is not host:port; use e.g. "smtp.example.com:587"');
    expect(msg).toContain('alertmanager.receivers[1].email_configs[0].auth_password_file.secretName: "Bad_Name" is not a valid DNS name');
    expect(msg).toContain('alertmanager.receivers[2].telegram_configs: [{}] is not a known option; use one of: email_configs, msteamsv2_configs, name, opsgenie_configs, pagerduty_configs, slack_configs, webhook_configs');
    // A URL with its token is refused: only a Secret file may hold it.
    expect(msg).toContain('alertmanager.receivers[3].webhook_configs[0].url: "https://hooks.example.com/T0K3N" is not a known option; use one of: max_alerts, send_resolved, url_file');
    expect(msg).toContain('alertmanager.receivers[3].webhook_configs[0].url_file: undefined must be an object; write it as { key, secretName }');
    expect(am({ receivers: [{ name: 'default' }, { name: 'm', email_configs: [{ to: 'a@example.com', from: 'b@example.com', smarthost: 'smtp.example.com:587', auth_password_file: { secretName: 's', key: 'k' } }] }] }))
      .toContain('alertmanager.receivers[1].email_configs[0].auth_username: undefined is not set, and auth_password_file is; set the SMTP user name');
  });

  it('refuses a Watchdog receiver that does not exist, a template that is not a .tmpl file or is unbalanced, and obs-stack\'s own template name', () => {
    expect(am({ watchdog: { receiver: 'dms' } }))
      .toContain('alertmanager.watchdog.receiver: "dms" is not a receiver in alertmanager.receivers; add a receiver named "dms" (e.g. a webhook to your dead man\'s switch), or use "watchdog"');
    const msg = am({ templates: { 'x.txt': '{{ define "x" }}{{ end }}', 'y.tmpl': '{{ define "y" }' } });
    expect(msg).toContain('alertmanager.templates.x.txt: "x.txt" is not a template file name; use letters, digits, "-", "_" and "." ending in ".tmpl"');
    expect(msg).toContain('alertmanager.templates.y.tmpl: "{{ define \\"y\\" }" has unbalanced {{ and }}; close every action with }}');
    expect(am({ templates: { 'obs-stack.tmpl': '{{ define "z" }}{{ end }}' } })).toContain('alertmanager.templates.obs-stack.tmpl: "obs-stack.tmpl" is obs-stack\'s own template file');
  });

  it('refuses ports, a retention and notification ports the pod could not run with', () => {
    expect(am({ ports: { http: 9093, cluster: 9093 } })).toContain('alertmanager.ports.cluster: 9093 clashes with alertmanager.ports.http (both listen in the same pod)');
    expect(am({ retention: '5d' })).toContain('alertmanager.retention: "5d" is not a Go duration');
    expect(am({ notificationEgressPorts: [443, 443] })).toContain('alertmanager.notificationEgressPorts[1]: 443 is listed twice');
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

  it('covers every environment and the maximal config', () => {
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
    expect(adaptForAmtool(files.config, [0, 27]).changes).toEqual(['receivers[ops-teams].msteamsv2_configs removed']);
  });

  itAmtool.each(withAlertmanager)('%s: amtool check-config succeeds (config and templates)', (label) => {
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

describe('the Watchdog', () => {
  /** Every alerting rule named Watchdog in an output's Prometheus rule files. */
  const watchdogs = (objects: ReturnType<typeof objectsOf>) => Object.values(findPrometheus(objects)[0].ruleFiles)
    .flatMap((text) => (load(text) as any).groups.flatMap((g: any) => g.rules))
    .filter((r: any) => r.alert === WATCHDOG_ALERT);

  it('is one always-firing rule of severity none wherever alerts are on (the cluster rules, promtool-tested there), and the route matches its name', () => {
    const dev = configNamed('dev').objects;
    expect(watchdogs(dev)).toEqual([expect.objectContaining({ expr: 'vector(1)', labels: { severity: 'none' } })]);
    expect(watchdogs(configNamed('verify-minimal').objects)).toEqual([]);
    expect(alertmanagerFiles(dev)!.config.route.routes[0].matchers).toEqual([`alertname="${WATCHDOG_ALERT}"`]);
    // Severity none: the default inhibition (critical over warning) neither takes nor silences it.
    expect(DEFAULT_INHIBIT_RULES.every((r) => ![...r.source_matchers, ...r.target_matchers].includes('severity="none"'))).toBe(true);
  });

  it('has no route with the Watchdog off, and the defaults render the default and watchdog receivers only', () => {
    const off = configMapYaml(objectsOf(buildEnv('dev', { alertmanager: { watchdog: { enabled: false } } })), 'alertmanager', 'alertmanager.yaml', NS);
    expect(off.route.routes).toBeUndefined();
    expect(off.receivers).toEqual([{ name: 'default' }]);
    expect(renderAlertmanagerConfig({ config: ALERTMANAGER_DEFAULTS }).receivers).toEqual([{ name: 'default' }, { name: 'watchdog' }]);
  });
});

describe('Alertmanager in the environment README', () => {
  test('its row gives the retention of silences and the notification log, and dev warns that they are on emptyDir', () => {
    const dev = environmentReadme(buildEnv('dev'));
    expect(dev).toMatch(/\| alertmanager \| `[^`]+` \| \d+ \| .* \| 1Gi emptyDir \| 120h \|/);
    expect(dev).toMatch(/data of [a-z, ]*\balertmanager\b[a-z, ]* is on emptyDir volumes/);
    const prod = environmentReadme(buildEnv('prod', { alertmanager: { retention: '72h' } }));
    expect(prod).toMatch(/\| alertmanager \| `[^`]+` \| \d+ \| .* \| 1Gi PVC \| 72h \|/);
    expect(prod).not.toMatch(/data of [a-z, ]*\balertmanager\b/);
  });
});
