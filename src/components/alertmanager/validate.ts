/**
 * Validation of the `alertmanager` slice: what Alertmanager itself would refuse at start (unknown receivers,
 * bad matchers, zero intervals, bad label names) is refused at synth, with the config path, the value and
 * the fix.
 */
import type { Checker } from '../../config/validate';
import type { StackConfig } from '../../config/types';
import {
  type AlertmanagerReceiver, type AlertmanagerRoute, RECEIVER_INTEGRATIONS, type SecretFileRef,
} from './config';
import { BUILTIN_TEMPLATE_FILE, WATCHDOG_RECEIVER, parseMatcher } from './alertmanager-config';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RECEIVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const TEMPLATE_FILE = /^[A-Za-z0-9][A-Za-z0-9_.-]*\.tmpl$/;
const HOST_PORT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:(\d{1,5})$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** A component's own ports: unprivileged, and distinct (they share a pod). */
export function componentPorts(c: Checker, path: string, ports: Readonly<Record<string, number>>): void {
  const seen = new Map<number, string>();
  for (const [name, port] of Object.entries(ports ?? {})) {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 65535) {
      c.fail(`${path}.${name}`, port, 'is not an unprivileged port', 'use an integer from 1024 to 65535 (the stack runs as non-root)');
      continue;
    }
    const clash = seen.get(port);
    if (clash !== undefined) c.fail(`${path}.${name}`, port, `clashes with ${path}.${clash} (both listen in the same pod)`, 'give each port its own number');
    seen.set(port, name);
  }
}

function secretRef(c: Checker, path: string, ref: SecretFileRef | undefined, exampleKey: string): void {
  if (ref === undefined || typeof ref !== 'object') {
    c.fail(path, ref, 'must name a Secret key', `use e.g. { secretName: "alertmanager-receivers", key: "${exampleKey}" }`);
    return;
  }
  c.dnsSubdomain(`${path}.secretName`, ref.secretName, 'alertmanager-receivers');
  c.secretKey(`${path}.key`, ref.key, exampleKey);
}

function matchers(c: Checker, path: string, list: readonly string[] | undefined): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    c.fail(path, list, 'must be a list', 'use e.g. ["severity=\\"critical\\"", "namespace=~\\"team-a-.*\\""]');
    return;
  }
  list.forEach((m, i) => {
    const parsed = parseMatcher(m);
    if (parsed === undefined) {
      c.fail(`${path}[${i}]`, m, 'is not a matcher', 'write label, operator (=, !=, =~, !~) and a quoted value, e.g. "severity=\\"critical\\""');
    } else if (parsed.type === '=~' || parsed.type === '!~') {
      try { new RegExp(`^(?:${parsed.value})$`); } catch { c.fail(`${path}[${i}]`, m, 'has a value that is not a regular expression', 'use RE2 syntax, e.g. "namespace=~\\"team-a-.*\\""'); }
    }
  });
}

/** Durations in Alertmanager's (Prometheus's) notation; `nonZero` for intervals Alertmanager refuses at 0. */
function routeDuration(c: Checker, path: string, v: string | undefined, example: string, nonZero: boolean): void {
  if (v === undefined) return;
  const ms = c.duration(path, v, example);
  if (ms !== undefined && nonZero && ms === 0) c.fail(path, v, 'must not be zero', `use e.g. "${example}"`);
}

function route(c: Checker, path: string, r: AlertmanagerRoute, receivers: ReadonlySet<string>, root: boolean): void {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) {
    c.fail(path, r, 'must be a route object', 'use e.g. { receiver: "team-a", matchers: ["namespace=\\"team-a\\""] }');
    return;
  }
  if (r.receiver === undefined || r.receiver === '') {
    if (root) c.fail(`${path}.receiver`, r.receiver, 'must be set on the root route', 'name the receiver that gets every alert no child route takes, e.g. "default"');
  } else if (!receivers.has(r.receiver)) {
    c.fail(`${path}.receiver`, r.receiver, 'is not a receiver in alertmanager.receivers', `use one of: ${[...receivers].join(', ')}, or add it to alertmanager.receivers`);
  }
  if (r.group_by !== undefined) {
    if (!Array.isArray(r.group_by)) c.fail(`${path}.group_by`, r.group_by, 'must be a list of label names', 'use e.g. ["alertname", "namespace"], or ["..."] for every label');
    else {
      const seen = new Set<string>();
      r.group_by.forEach((l, i) => {
        if (l === '...') {
          if (r.group_by!.length > 1) c.fail(`${path}.group_by`, r.group_by, 'mixes "..." with label names', 'use ["..."] alone, or list the labels');
        } else if (typeof l !== 'string' || !LABEL_NAME.test(l)) c.fail(`${path}.group_by[${i}]`, l, 'is not a label name', 'use letters, digits and "_", e.g. "alertname"');
        else if (seen.has(l)) c.fail(`${path}.group_by[${i}]`, l, 'is listed twice', 'list each label once');
        seen.add(l);
      });
    }
  }
  routeDuration(c, `${path}.group_wait`, r.group_wait, '30s', false);
  routeDuration(c, `${path}.group_interval`, r.group_interval, '5m', true);
  routeDuration(c, `${path}.repeat_interval`, r.repeat_interval, '4h', true);
  matchers(c, `${path}.matchers`, r.matchers);
  if (root && r.matchers !== undefined && r.matchers.length > 0) {
    c.fail(`${path}.matchers`, r.matchers, 'is set on the root route, which must match every alert', 'move the matchers to a child route under routes');
  }
  if (r.continue !== undefined) c.boolean(`${path}.continue`, r.continue);
  if (r.routes !== undefined) {
    if (!Array.isArray(r.routes)) c.fail(`${path}.routes`, r.routes, 'must be a list of routes', 'use e.g. [{ receiver: "pager", matchers: ["severity=\\"critical\\""] }]');
    else r.routes.forEach((child, i) => route(c, `${path}.routes[${i}]`, child, receivers, false));
  }
}

function receiver(c: Checker, path: string, r: AlertmanagerReceiver): void {
  for (const key of Object.keys(r)) {
    if (key !== 'name' && !(RECEIVER_INTEGRATIONS as readonly string[]).includes(key)) {
      c.fail(`${path}.${key}`, key, 'is not an integration obs-stack renders', `use one of: ${RECEIVER_INTEGRATIONS.join(', ')}`);
    }
  }
  const list = <T>(key: string, v: readonly T[] | undefined, each: (p: string, x: T) => void) => {
    if (v === undefined) return;
    if (!Array.isArray(v)) { c.fail(`${path}.${key}`, v, 'must be a list', `write ${key}: [ { ... } ]`); return; }
    v.forEach((x, i) => each(`${path}.${key}[${i}]`, x));
  };
  const sendResolved = (p: string, v: boolean | undefined) => { if (v !== undefined) c.boolean(`${p}.send_resolved`, v); };
  list('webhook_configs', r.webhook_configs, (p, w) => {
    secretRef(c, `${p}.url_file`, w.url_file, 'webhook-url');
    sendResolved(p, w.send_resolved);
    if (w.max_alerts !== undefined && (!Number.isInteger(w.max_alerts) || w.max_alerts < 0)) c.fail(`${p}.max_alerts`, w.max_alerts, 'must be zero or a positive integer', 'use e.g. 0 (every alert of the group)');
  });
  list('slack_configs', r.slack_configs, (p, s) => {
    secretRef(c, `${p}.api_url_file`, s.api_url_file, 'slack-webhook-url');
    sendResolved(p, s.send_resolved);
    if (s.channel !== undefined && !/^[#@]?[^\s]{1,80}$/.test(s.channel)) c.fail(`${p}.channel`, s.channel, 'is not a Slack channel', 'use e.g. "#alerts"');
  });
  list('email_configs', r.email_configs, (p, e) => {
    if (typeof e.to !== 'string' || !e.to.split(',').every((a) => EMAIL.test(a.trim()))) c.fail(`${p}.to`, e.to, 'is not an e-mail address', 'use e.g. "oncall@example.com"');
    if (typeof e.from !== 'string' || !EMAIL.test(e.from)) c.fail(`${p}.from`, e.from, 'is not an e-mail address', 'use e.g. "alertmanager@example.com"');
    const hp = typeof e.smarthost === 'string' ? HOST_PORT.exec(e.smarthost) : null;
    if (!hp || Number(hp[2]) < 1 || Number(hp[2]) > 65535) c.fail(`${p}.smarthost`, e.smarthost, 'is not host:port', 'use e.g. "smtp.example.com:587"');
    if (e.auth_password_file !== undefined) {
      secretRef(c, `${p}.auth_password_file`, e.auth_password_file, 'smtp-password');
      if (e.auth_username === undefined || e.auth_username === '') c.fail(`${p}.auth_username`, e.auth_username, 'is empty, and auth_password_file is set', 'set the SMTP user name');
    }
    if (e.require_tls !== undefined) c.boolean(`${p}.require_tls`, e.require_tls);
    sendResolved(p, e.send_resolved);
  });
  list('pagerduty_configs', r.pagerduty_configs, (p, d) => {
    secretRef(c, `${p}.routing_key_file`, d.routing_key_file, 'pagerduty-routing-key');
    if (d.severity !== undefined && !['critical', 'error', 'warning', 'info'].includes(d.severity) && !d.severity.includes('{{')) {
      c.fail(`${p}.severity`, d.severity, 'is not a PagerDuty severity', 'use critical, error, warning, info, or a template such as "{{ .CommonLabels.severity }}"');
    }
    sendResolved(p, d.send_resolved);
  });
  list('opsgenie_configs', r.opsgenie_configs, (p, o) => {
    secretRef(c, `${p}.api_key_file`, o.api_key_file, 'opsgenie-api-key');
    if (o.api_url !== undefined) c.httpUrl(`${p}.api_url`, o.api_url, 'https://api.eu.opsgenie.com/');
    if (o.priority !== undefined && !/^P[1-5]$/.test(o.priority) && !o.priority.includes('{{')) c.fail(`${p}.priority`, o.priority, 'is not an Opsgenie priority', 'use P1 to P5, or a template');
    sendResolved(p, o.send_resolved);
  });
  list('msteamsv2_configs', r.msteamsv2_configs, (p, t) => {
    secretRef(c, `${p}.webhook_url_file`, t.webhook_url_file, 'teams-webhook-url');
    sendResolved(p, t.send_resolved);
  });
}

/** Every problem in the `alertmanager` slice (pushed onto `c`). */
export function validateAlertmanager(cfg: StackConfig, c: Checker): void {
  const a = cfg.alertmanager;
  c.boolean('alertmanager.enabled', a.enabled);
  c.image('alertmanager.image', a.image);
  componentPorts(c, 'alertmanager.ports', a.ports);
  c.replicas('alertmanager.replicas', a.replicas, 1);
  c.resources('alertmanager.resources', a.resources);
  c.storage('alertmanager.storage', a.storage);
  c.goDuration('alertmanager.retention', a.retention, '120h');

  const names = new Set<string>();
  if (!Array.isArray(a.receivers)) {
    c.fail('alertmanager.receivers', a.receivers, 'must be a list', 'use e.g. [{ name: "default" }]');
  } else {
    a.receivers.forEach((r, i) => {
      const path = `alertmanager.receivers[${i}]`;
      if (typeof r?.name !== 'string' || !RECEIVER_NAME.test(r.name)) c.fail(`${path}.name`, r?.name, 'is not a receiver name', 'use letters, digits, "-", "_" and ".", e.g. "team-a-slack"');
      else if (names.has(r.name)) c.fail(`${path}.name`, r.name, 'is used by another receiver', 'give each receiver its own name');
      else names.add(r.name);
      if (r && typeof r === 'object') receiver(c, path, r);
    });
  }
  const w = a.watchdog;
  c.boolean('alertmanager.watchdog.enabled', w.enabled);
  // The Watchdog's empty default receiver is added by the renderer when no receiver of that name exists.
  const routable = new Set([...names, ...(w.enabled && w.receiver === WATCHDOG_RECEIVER ? [WATCHDOG_RECEIVER] : [])]);
  route(c, 'alertmanager.route', a.route, routable, true);
  if (w.enabled) {
    if (!routable.has(w.receiver)) c.fail('alertmanager.watchdog.receiver', w.receiver, 'is not a receiver in alertmanager.receivers', `add a receiver named "${w.receiver}" (e.g. a webhook to your dead man's switch), or use "${WATCHDOG_RECEIVER}"`);
    routeDuration(c, 'alertmanager.watchdog.repeat_interval', w.repeat_interval, '1m', true);
  }

  if (!Array.isArray(a.inhibit_rules)) c.fail('alertmanager.inhibit_rules', a.inhibit_rules, 'must be a list', 'use [] for none');
  else {
    a.inhibit_rules.forEach((r, i) => {
      const path = `alertmanager.inhibit_rules[${i}]`;
      matchers(c, `${path}.source_matchers`, r.source_matchers);
      matchers(c, `${path}.target_matchers`, r.target_matchers);
      if ((r.source_matchers ?? []).length === 0) c.fail(`${path}.source_matchers`, r.source_matchers, 'is empty, so every alert would inhibit', 'name the inhibiting alerts, e.g. ["severity=\\"critical\\""]');
      if ((r.target_matchers ?? []).length === 0) c.fail(`${path}.target_matchers`, r.target_matchers, 'is empty, so every alert would be inhibited', 'name the inhibited alerts, e.g. ["severity=\\"warning\\""]');
      (r.equal ?? []).forEach((l: string, j: number) => { if (!LABEL_NAME.test(l)) c.fail(`${path}.equal[${j}]`, l, 'is not a label name', 'use e.g. "namespace"'); });
    });
  }

  for (const [file, text] of Object.entries(a.templates ?? {})) {
    const path = `alertmanager.templates.${file}`;
    if (!TEMPLATE_FILE.test(file)) c.fail(path, file, 'is not a template file name', 'use letters, digits, "-", "_" and "." ending in ".tmpl", e.g. "team.tmpl"');
    else if (file === BUILTIN_TEMPLATE_FILE) c.fail(path, file, 'is obs-stack\'s own template file', 'choose another file name');
    if (typeof text !== 'string' || text.trim() === '') c.fail(path, text, 'is empty', 'write Go template definitions, e.g. {{ define "team.title" }}...{{ end }}');
    else if ((text.match(/\{\{/g) ?? []).length !== (text.match(/\}\}/g) ?? []).length) c.fail(path, text.slice(0, 60), 'has unbalanced {{ and }}', 'close every action with }}');
  }
  if (!Array.isArray(a.notificationEgressPorts)) c.fail('alertmanager.notificationEgressPorts', a.notificationEgressPorts, 'must be a list of ports', 'use e.g. [443]');
  else {
    a.notificationEgressPorts.forEach((p, i) => {
      if (!Number.isInteger(p) || p < 1 || p > 65535) c.fail(`alertmanager.notificationEgressPorts[${i}]`, p, 'is not a port', 'use an integer from 1 to 65535, e.g. 443');
    });
  }
}
