/**
 * The refused-config table: hostile and mistaken configurations, each refused with the config path, the
 * value as given (NaN, Infinity, null, "1" and 1 read differently) and a fix. Every case asserts all three
 * on the issue itself and on the printed line (paths as printed: invisible characters escaped).
 */
import { join } from 'node:path';
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { escapeInvisible, showValue } from '../../src/config/fields';
import { resolveEnvironment } from '../../src/config/resolve';
import type { EnvironmentDefinition, ProfileName } from '../../src/config/types';
import { StackConfigError, formatIssue } from '../../src/config/validate';
import { ANNOTATIONS_MAX_BYTES } from '../../src/config/pods';
import { buildStack } from '../../src/stack';

type Input = { readonly overrides: unknown; readonly profile?: ProfileName } | { readonly def: unknown };

/** what, input, path, value as shown, a fragment of the fix */
type Case = readonly [string, Input, string, string, string];

const o = (overrides: unknown, profile?: ProfileName): Input => ({ overrides, profile });
const rw = (entry: Record<string, unknown>) => o({ prometheus: { remoteWrite: [{ name: 'm', url: 'https://m.example.com/api/v1/push', ...entry }] } });
const relabel = (r: unknown) => rw({ writeRelabelConfigs: [r] });
const am = (entry: unknown) => o({ alerts: { alertmanagers: [entry] } });
const json = (text: string) => JSON.parse(text) as unknown;

const LIST_ENTRIES: Case[] = [
  ['a null remote-write entry', o({ prometheus: { remoteWrite: [null] } }), 'prometheus.remoteWrite[0]', 'null', 'write it as { basicAuth, bearerToken'],
  ['a string remote-write entry', o({ prometheus: { remoteWrite: ['https://m.example.com'] } }), 'prometheus.remoteWrite[0]', '"https://m.example.com"', '{ basicAuth'],
  ['a list as a remote-write entry', o({ prometheus: { remoteWrite: [[]] } }), 'prometheus.remoteWrite[0]', '[]', '{ basicAuth'],
  ['a hole in the remote-write list', o({ prometheus: { remoteWrite: [, { name: 'm', url: 'https://m.example.com/push' }] } }), 'prometheus.remoteWrite[0]', 'undefined', 'write it as'],
  ['remoteWrite given as one object', o({ prometheus: { remoteWrite: { name: 'm', url: 'https://m.example.com/push' } } }), 'prometheus.remoteWrite', '{"name":"m","url":"https://m.example.com/push"}', 'use e.g. [{ name: "mimir"'],
  ['a remote-write entry without url', o({ prometheus: { remoteWrite: [{ name: 'm' }] } }), 'prometheus.remoteWrite[0].url', 'undefined', 'https://mimir.example.com/api/v1/push'],
  ['a remote-write entry without name', o({ prometheus: { remoteWrite: [{ url: 'https://m.example.com/push' }] } }), 'prometheus.remoteWrite[0].name', 'undefined', '"mimir"'],
  ['a remote-write name with capitals', rw({ name: 'Mimir' }), 'prometheus.remoteWrite[0].name', '"Mimir"', 'lower-case'],
  ['a remote-write name of 41 characters', rw({ name: 'm'.repeat(41) }), 'prometheus.remoteWrite[0].name', `"${'m'.repeat(41)}"`, 'lower-case'],
  ['two remote-write targets with one name', o({ prometheus: { remoteWrite: [{ name: 'a', url: 'https://a.example.com/push' }, { name: 'a', url: 'https://b.example.com/push' }] } }), 'prometheus.remoteWrite[1].name', '"a"', 'its own name'],
  ['a typo in a remote-write entry (basicauth)', rw({ basicauth: { username: 'u' } }), 'prometheus.remoteWrite[0].basicauth', '{"username":"u"}', 'did you mean "basicAuth"?'],
  ['a typo in a remote-write entry (URL)', rw({ URL: 'https://x.example.com' }), 'prometheus.remoteWrite[0].URL', '"https://x.example.com"', 'did you mean "url"?'],
  ['an unknown remote-write option', rw({ timeout: '30s' }), 'prometheus.remoteWrite[0].timeout', '"30s"', 'use one of: basicAuth, bearerToken, headers, name, queue, url, writeRelabelConfigs'],
  ['a null Alertmanager entry', o({ alerts: { alertmanagers: [null] } }), 'alerts.alertmanagers[0]', 'null', 'write it as { basicAuth, bearerToken, pathPrefix, url }'],
  ['a number as an Alertmanager entry', o({ alerts: { alertmanagers: [9093] } }), 'alerts.alertmanagers[0]', '9093', 'pathPrefix, url'],
  ['alertmanagers as a string', o({ alerts: { alertmanagers: 'https://am.example.com' } }), 'alerts.alertmanagers', '"https://am.example.com"', 'or [] for none'],
  ['a typo in an Alertmanager entry (path_prefix)', am({ url: 'https://am.example.com', path_prefix: '/am' }), 'alerts.alertmanagers[0].path_prefix', '"/am"', 'did you mean "pathPrefix"?'],
  ['an Alertmanager listed twice', o({ alerts: { alertmanagers: [{ url: 'https://am.example.com' }, { url: 'https://am.example.com:443' }] } }), 'alerts.alertmanagers[1].url', '"https://am.example.com:443"', 'list each Alertmanager once'],
  ['an Alertmanager URL with a path', am({ url: 'https://am.example.com/alertmanager' }), 'alerts.alertmanagers[0].url', '"https://am.example.com/alertmanager"', 'put the path in pathPrefix'],
  ['a pathPrefix without "/"', am({ url: 'https://am.example.com', pathPrefix: 'am' }), 'alerts.alertmanagers[0].pathPrefix', '"am"', 'starting with "/"'],
  ['Alertmanagers with alerts disabled', o({ alerts: { enabled: false, alertmanagers: [{ url: 'https://am.example.com' }] } }), 'alerts.alertmanagers', '["https://am.example.com"]', 'alerts.enabled: true'],
  ['a null relabel config', relabel(null), 'prometheus.remoteWrite[0].writeRelabelConfigs[0]', 'null', 'write it as { action, regex'],
  ['a typo in a relabel config (source_labels)', relabel({ source_labels: ['__name__'], action: 'keep' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].source_labels', '["__name__"]', 'did you mean "sourceLabels"?'],
  ['a typo in a relabel config (target_label)', relabel({ target_label: 'x' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].target_label', '"x"', 'did you mean "targetLabel"?'],
  ['a relabel action that does not exist', relabel({ action: 'hashmod', targetLabel: 'x' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].action', '"hashmod"', 'keep, drop, replace, labeldrop or labelkeep'],
  ['a replace without targetLabel', relabel({ regex: 'x' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].targetLabel', 'undefined', 'set targetLabel'],
  ['labeldrop with sourceLabels', relabel({ action: 'labeldrop', regex: 'pod_uid', sourceLabels: ['a'] }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].sourceLabels', '["a"]', 'remove sourceLabels'],
  ['labelkeep with a replacement', relabel({ action: 'labelkeep', regex: 'job', replacement: 'x' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].replacement', '"x"', 'remove replacement'],
  ['a source label that is not a label name', relabel({ sourceLabels: ['job-name'], action: 'keep' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].sourceLabels[0]', '"job-name"', 'letters, digits and "_"'],
  ['a null source label', relabel({ sourceLabels: [null], action: 'keep' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].sourceLabels[0]', 'null', '"__name__"'],
  ['sourceLabels as a string', relabel({ sourceLabels: '__name__', action: 'keep' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].sourceLabels', '"__name__"', '["__name__"]'],
  ['a target label with a dash', relabel({ targetLabel: 'my-label' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].targetLabel', '"my-label"', 'letters, digits and "_"'],
  ['writeRelabelConfigs as an object', rw({ writeRelabelConfigs: { action: 'keep' } }), 'prometheus.remoteWrite[0].writeRelabelConfigs', '{"action":"keep"}', 'use e.g. [{ sourceLabels'],
  ['a null image pull Secret', o({ common: { imagePullSecrets: [null] } }), 'common.imagePullSecrets[0]', 'null', '"regcred"'],
  ['an image pull Secret listed twice', o({ common: { imagePullSecrets: ['a', 'a'] } }), 'common.imagePullSecrets[1]', '"a"', 'list each Secret once'],
  ['imagePullSecrets as a string', o({ common: { imagePullSecrets: 'regcred' } }), 'common.imagePullSecrets', '"regcred"', '["regcred"]'],
  ['a null CIDR', o({ networkPolicy: { externalEgress: { cidrs: [null] } } }), 'networkPolicy.externalEgress.cidrs[0]', 'null', '"0.0.0.0/0"'],
  ['a CIDR listed twice', o({ networkPolicy: { kubeApiServer: { cidrs: ['10.0.0.0/8', '10.0.0.0/8'] } } }), 'networkPolicy.kubeApiServer.cidrs[1]', '"10.0.0.0/8"', 'list each CIDR once'],
  ['an API server port listed twice', o({ networkPolicy: { kubeApiServer: { ports: [443, 443] } } }), 'networkPolicy.kubeApiServer.ports[1]', '443', 'list each port once'],
  ['a string in the API server ports', o({ networkPolicy: { kubeApiServer: { ports: ['443'] } } }), 'networkPolicy.kubeApiServer.ports[0]', '"443"', 'e.g. 6443'],
  ['no external egress CIDR', o({ networkPolicy: { externalEgress: { cidrs: [] } } }), 'networkPolicy.externalEgress.cidrs', '[]', '["0.0.0.0/0"]'],
];

const NESTED_IN_LIST_ENTRIES: Case[] = [
  ['basicAuth as a string', rw({ basicAuth: 'user:pass' }), 'prometheus.remoteWrite[0].basicAuth', '"user:pass"', 'write it as { passwordKey, secretName, username }'],
  ['basicAuth with a password in config', rw({ basicAuth: { username: 'u', password: 'hunter2', secretName: 's', passwordKey: 'p' } }), 'prometheus.remoteWrite[0].basicAuth.password', '"hunter2"', 'did you mean "passwordKey"?'],
  ['basicAuth without secretName', rw({ basicAuth: { username: 'u', passwordKey: 'p' } }), 'prometheus.remoteWrite[0].basicAuth.secretName', 'undefined', '"metrics-remote-write"'],
  ['basicAuth with an empty user name', rw({ basicAuth: { username: '', secretName: 's', passwordKey: 'p' } }), 'prometheus.remoteWrite[0].basicAuth.username', '""', 'user name (tenant)'],
  ['basicAuth with a user:password user name', rw({ basicAuth: { username: 'u:p', secretName: 's', passwordKey: 'p' } }), 'prometheus.remoteWrite[0].basicAuth.username', '"u:p"', 'user name alone'],
  ['basicAuth with a password key that is not a Secret key', rw({ basicAuth: { username: 'u', secretName: 's', passwordKey: 'pass word' } }), 'prometheus.remoteWrite[0].basicAuth.passwordKey', '"pass word"', 'letters, digits'],
  ['bearerToken with an unknown key', rw({ bearerToken: { secretName: 's', tokenKey: 't', token: 'abc' } }), 'prometheus.remoteWrite[0].bearerToken.token', '"abc"', 'did you mean "tokenKey"?'],
  ['bearerToken as null', rw({ bearerToken: null }), 'prometheus.remoteWrite[0].bearerToken', 'null', 'write it as { secretName, tokenKey }'],
  ['basicAuth and bearerToken together', rw({ basicAuth: { username: 'u', secretName: 's', passwordKey: 'p' }, bearerToken: { secretName: 's', tokenKey: 't' } }), 'prometheus.remoteWrite[0].bearerToken', '{"secretName":"s","tokenKey":"t"}', 'one of basicAuth or bearerToken'],
  ['a queue with a typo (max_shards)', rw({ queue: { max_shards: 10 } }), 'prometheus.remoteWrite[0].queue.max_shards', '10', 'did you mean "maxShards"?'],
  ['a queue capacity below the batch', rw({ queue: { capacity: 100, maxSamplesPerSend: 500 } }), 'prometheus.remoteWrite[0].queue.capacity', '100', '5x'],
  ['a queue as a number', rw({ queue: 10 }), 'prometheus.remoteWrite[0].queue', '10', 'capacity, maxSamplesPerSend, maxShards'],
  ['headers as a string (not spread into numbered keys)', rw({ headers: 'X-Scope-OrgID: a' }), 'prometheus.remoteWrite[0].headers', '"X-Scope-OrgID: a"', 'write it as { "X-Scope-OrgID": "tenant-1" }'],
  ['headers as a list', rw({ headers: ['X-A'] }), 'prometheus.remoteWrite[0].headers', '["X-A"]', 'write it as {'],
  ['a header value with CR/LF', rw({ headers: { 'X-Scope-OrgID': 'a\r\nX-Injected: 1' } }), 'prometheus.remoteWrite[0].headers.X-Scope-OrgID', '"a\\r\\nX-Injected: 1"', 'visible characters only'],
  ['a header value with a zero-width space', rw({ headers: { 'X-Scope-OrgID': 'team\u200b' } }), 'prometheus.remoteWrite[0].headers.X-Scope-OrgID', '"team\\u200b"', 'visible characters only'],
  ['a header name with a zero-width space', rw({ headers: { 'X-Scope\u200b-OrgID': 'a' } }), 'prometheus.remoteWrite[0].headers.X-Scope\\u200b-OrgID', '"X-Scope\\u200b-OrgID"', 'e.g. "X-Scope-OrgID"'],
  ['a header name with a newline', rw({ headers: { 'X-A\nX-B': 'a' } }), 'prometheus.remoteWrite[0].headers.X-A\\nX-B', '"X-A\\nX-B"', 'e.g. "X-Scope-OrgID"'],
  ['a header value that is a number', rw({ headers: { 'X-Scope-OrgID': 1 } }), 'prometheus.remoteWrite[0].headers.X-Scope-OrgID', '1', 'e.g. "tenant-1"'],
  ['an Authorization header', rw({ headers: { authorization: 'Bearer x' } }), 'prometheus.remoteWrite[0].headers.authorization', '"authorization"', 'bearerToken with a Secret'],
  ['a header Prometheus sets itself', rw({ headers: { 'Content-Type': 'text/plain' } }), 'prometheus.remoteWrite[0].headers.Content-Type', '"Content-Type"', 'remove it'],
  ['one header twice in different case', rw({ headers: { 'X-Tenant': 'a', 'x-tenant': 'b' } }), 'prometheus.remoteWrite[0].headers.x-tenant', '"x-tenant"', 'keep one of them'],
  ['a header value with trailing spaces', rw({ headers: { 'X-Tenant': 'a ' } }), 'prometheus.remoteWrite[0].headers.X-Tenant', '"a "', 'remove the surrounding spaces'],
  ['an empty header value', rw({ headers: { 'X-Tenant': '' } }), 'prometheus.remoteWrite[0].headers.X-Tenant', '""', 'e.g. "tenant-1"'],
  ['an Alertmanager bearerToken without secretName', am({ url: 'https://am.example.com', bearerToken: { tokenKey: 't' } }), 'alerts.alertmanagers[0].bearerToken.secretName', 'undefined', '"alertmanager-auth"'],
  ['an Alertmanager basicAuth with a typo', am({ url: 'https://am.example.com', basicAuth: { user: 'p', secretName: 's', passwordKey: 'p' } }), 'alerts.alertmanagers[0].basicAuth.user', '"p"', 'use one of: passwordKey, secretName, username'],
  ['an Alertmanager basicAuth as a list', am({ url: 'https://am.example.com', basicAuth: [] }), 'alerts.alertmanagers[0].basicAuth', '[]', 'passwordKey, secretName, username'],
  ['a relabel regex that does not compile', relabel({ regex: '(go', action: 'drop' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].regex', '"(go"', 'RE2 syntax'],
  ['a relabel regex with a Perl lookahead', relabel({ regex: '(?=go_).*', action: 'drop' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].regex', '"(?=go_).*"', 'no lookarounds'],
  ['a relabel regex with a backreference', relabel({ regex: '(a)\\1', action: 'drop' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].regex', '"(a)\\\\1"', 'RE2 syntax'],
  ['a relabel regex with a repeat count above 1000', relabel({ regex: 'a{1001}', action: 'drop' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].regex', '"a{1001}"', 'RE2 syntax'],
  ['a relabel regex with \\C', relabel({ regex: 'a\\C', action: 'drop' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].regex', '"a\\\\C"', 'RE2 syntax'],
  ['a relabel regex holding a NUL', relabel({ regex: 'a\u0000', action: 'drop' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].regex', '"a\\u0000"', 'escape'],
  ['a relabel regex that is a number', relabel({ regex: 5, action: 'drop' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].regex', '5', 'RE2 syntax'],
];

const PROTOTYPE_KEYS: Case[] = [
  ['__proto__ at the top (JSON)', o(json('{"__proto__": {"polluted": true}}')), '__proto__', '{"polluted":true}', 'refused everywhere'],
  ['__proto__ in a section (JSON)', o(json('{"prometheus": {"__proto__": {"retention": "1d"}}}')), 'prometheus.__proto__', '{"retention":"1d"}', 'refused everywhere'],
  ['__proto__ in a remote-write entry (JSON)', o(json('{"prometheus": {"remoteWrite": [{"name": "m", "url": "https://m.example.com/push", "__proto__": {"x": 1}}]}}')), 'prometheus.remoteWrite[0].__proto__', '{"x":1}', 'refused everywhere'],
  ['__proto__ in a label map (JSON)', o(json('{"common": {"labels": {"__proto__": "x"}}}')), 'common.labels.__proto__', '"x"', 'refused everywhere'],
  ['__proto__ in headers (JSON)', o(json('{"grafana": {"metricsDatasource": {"headers": {"__proto__": {"X-A": "b"}}}}}')), 'grafana.metricsDatasource.headers.__proto__', '{"X-A":"b"}', 'refused everywhere'],
  ['constructor in a section', o({ loki: { constructor: { name: 'x' } } }), 'loki.constructor', '{"name":"x"}', 'refused everywhere'],
  ['constructor as a label key', o({ common: { labels: { constructor: 'x' } } }), 'common.labels.constructor', '"x"', 'refused everywhere'],
  ['prototype in a nested object', o({ tempo: { objectStorage: { credentials: { prototype: {} } } } }), 'tempo.objectStorage.credentials.prototype', '{}', 'refused everywhere'],
  ['prototype in a relabel config', relabel({ prototype: 1, action: 'keep' }), 'prometheus.remoteWrite[0].writeRelabelConfigs[0].prototype', '1', 'refused everywhere'],
  ['an object literal with a __proto__ key', o({ prometheus: { __proto__: { retention: '1d' } } }), 'prometheus', '{} with __proto__ {"retention":"1d"}', 'object literal'],
  ['a class instance as a section', o({ grafana: new (class Settings { enabled = true })() }), 'grafana', 'Settings {"enabled":true}', 'no class instances'],
  ['a Map as labels', o({ common: { labels: new Map([['team', 'a']]) } }), 'common.labels', 'Map {}', 'object literal'],
];

const NUMBERS_SHOWN_AS_GIVEN: Case[] = [
  ['NaN as an error ratio', o({ demo: { errorRatio: NaN } }), 'demo.errorRatio', 'NaN', 'e.g. 0.3'],
  ['Infinity as a latency', o({ demo: { latencyMs: Infinity } }), 'demo.latencyMs', 'Infinity', 'e.g. 0'],
  ['-Infinity as a jitter', o({ demo: { jitterMs: -Infinity } }), 'demo.jitterMs', '-Infinity', 'e.g. 50'],
  ['null as a slow step', o({ demo: { slowStepMs: null } }), 'demo.slowStepMs', 'null', 'e.g. 100'],
  ['"1" (a string) as a rate', o({ demo: { trafficRps: '1' } }), 'demo.trafficRps', '"1"', 'e.g. 2'],
  ['zero traffic', o({ demo: { trafficRps: 0 } }), 'demo.trafficRps', '0', 'e.g. 2'],
  ['a latency above setTimeout\'s range', o({ demo: { latencyMs: 2147483648 } }), 'demo.latencyMs', '2147483648', 'at most 2147483647'],
  ['NaN as a threshold', o({ alerts: { thresholds: { latencyP99Seconds: NaN } } }), 'alerts.thresholds.latencyP99Seconds', 'NaN', 'e.g. 1'],
  ['Infinity as a ratio', o({ alerts: { thresholds: { tsdbSizeRatio: Infinity } } }), 'alerts.thresholds.tsdbSizeRatio', 'Infinity', 'e.g. 0.9'],
  ['"0.5" as a ratio', o({ alerts: { thresholds: { errorRatio: '0.5' } } }), 'alerts.thresholds.errorRatio', '"0.5"', 'e.g. 0.05'],
  ['a negative request rate', o({ alerts: { thresholds: { minRequestRate: -1 } } }), 'alerts.thresholds.minRequestRate', '-1', 'e.g. 0.1'],
  ['NaN as the ingestion rate', o({ loki: { limits: { ingestionRateMB: NaN } } }), 'loki.limits.ingestionRateMB', 'NaN', 'e.g. 8'],
  ['1e21 as the ingestion burst', o({ loki: { limits: { ingestionBurstSizeMB: 1e21 } } }), 'loki.limits.ingestionBurstSizeMB', '1e+21', 'at most 8796093022207'],
  ['1e21 as max query series (no 1e+21 in a config file)', o({ loki: { limits: { maxQuerySeries: 1e21 } } }), 'loki.limits.maxQuerySeries', '1e+21', 'e.g. 5000'],
  ['a fraction as max query series', o({ loki: { limits: { maxQuerySeries: 10.5 } } }), 'loki.limits.maxQuerySeries', '10.5', 'e.g. 5000'],
  ['a bigint as max query series', o({ loki: { limits: { maxQuerySeries: 10n } } }), 'loki.limits.maxQuerySeries', '10n', 'e.g. 5000'],
  ['1e21 as a queue capacity', rw({ queue: { capacity: 1e21 } }), 'prometheus.remoteWrite[0].queue.capacity', '1e+21', 'e.g. 25000'],
  ['2^53 as max shards (beyond exact integers)', rw({ queue: { maxShards: 2 ** 53 } }), 'prometheus.remoteWrite[0].queue.maxShards', '9007199254740992', 'at most 9007199254740991'],
  ['NaN as max samples per send', rw({ queue: { maxSamplesPerSend: NaN } }), 'prometheus.remoteWrite[0].queue.maxSamplesPerSend', 'NaN', 'e.g. 5000'],
  ['a priority value as a string', o({ common: { priorityClass: { value: '1000' } } }), 'common.priorityClass.value', '"1000"', 'e.g. 1000000'],
  ['a priority value in the system range', o({ common: { priorityClass: { value: 2000000000 } } }), 'common.priorityClass.value', '2000000000', 'e.g. 1000000'],
  ['a true as a number', o({ loki: { limits: { ingestionRateMB: true } } }), 'loki.limits.ingestionRateMB', 'true', 'e.g. 8'],
  ['"true" (a string) as a flag', o({ tempo: { metricsGenerator: 'true' } }), 'tempo.metricsGenerator', '"true"', 'without quotes'],
  ['1 as a flag', o({ cadvisor: { privileged: 1 } }), 'cadvisor.privileged', '1', 'true or false'],
  ['null as a flag', o({ helm: { enabled: null } }), 'helm.enabled', 'null', 'true or false'],
];

const INT32_AND_PORTS: Case[] = [
  ['replicas above int32', o({ loki: { read: { replicas: 2147483648 } } }), 'loki.read.replicas', '2147483648', 'Kubernetes int32'],
  ['1e21 replicas', o({ tempo: { replicas: 1e21 } }, 'large'), 'tempo.replicas', '1e+21', 'Kubernetes int32'],
  ['fractional replicas', o({ loki: { write: { replicas: 2.5 } } }), 'loki.write.replicas', '2.5', 'e.g. 2'],
  ['negative replicas', o({ loki: { backend: { replicas: -1 } } }), 'loki.backend.replicas', '-1', 'e.g. 2'],
  ['zero replicas', o({ loki: { read: { replicas: 0 } } }), 'loki.read.replicas', '0', 'e.g. 2'],
  ['a replication factor above int32', o({ loki: { replicationFactor: 4294967296 } }), 'loki.replicationFactor', '4294967296', 'Kubernetes int32'],
  ['"3" (a string) as replicas', o({ tempo: { replicas: '3' } }), 'tempo.replicas', '"3"', 'e.g. 1'],
  ['port 0 for the API server', o({ networkPolicy: { kubeApiServer: { ports: [0] } } }), 'networkPolicy.kubeApiServer.ports[0]', '0', 'from 1 to 65535'],
  ['port 70000 for the API server', o({ networkPolicy: { kubeApiServer: { ports: [443, 70000] } } }), 'networkPolicy.kubeApiServer.ports[1]', '70000', 'from 1 to 65535'],
  ['port 99999 for DNS', o({ networkPolicy: { dns: { port: 99999 } } }), 'networkPolicy.dns.port', '99999', 'from 1 to 65535'],
  ['a fractional DNS port', o({ networkPolicy: { dns: { port: 53.5 } } }), 'networkPolicy.dns.port', '53.5', 'e.g. 53'],
  ['NaN as the DNS port', o({ networkPolicy: { dns: { port: NaN } } }), 'networkPolicy.dns.port', 'NaN', 'e.g. 53'],
  ['a listen port of 0', o({ prometheus: { ports: { http: 0 } } }), 'prometheus.ports.http', '0', '1024 to 65535'],
  ['a listen port of 70000', o({ loki: { ports: { grpc: 70000 } } }), 'loki.ports.grpc', '70000', '1024 to 65535'],
  ['a privileged listen port', o({ grafana: { ports: { http: 80 } } }), 'grafana.ports.http', '80', 'non-root'],
  ['a listen port as a string', o({ alloy: { ports: { http: '12345' } } }), 'alloy.ports.http', '"12345"', '1024 to 65535'],
  ['two ports of one pod on one number', o({ tempo: { ports: { zipkin: 4317 } } }), 'tempo.ports.zipkin', '4317', 'its own number'],
  ['an unknown port name', o({ tempo: { ports: { jaegerCompact: 6831 } } }), 'tempo.ports.jaegerCompact', '6831', 'use one of: grpc, http, jaegerGrpc'],
  ['ports as a number', o({ cadvisor: { ports: 8080 } }), 'cadvisor.ports', '8080', 'write it as { http }'],
  ['a URL port of 0', rw({ url: 'https://m.example.com:0/push' }), 'prometheus.remoteWrite[0].url', '"https://m.example.com:0/push"', 'e.g. "https://mimir.example.com/api/v1/push"'],
  ['a URL port of 99999', am({ url: 'http://am.monitoring.svc:99999' }), 'alerts.alertmanagers[0].url', '"http://am.monitoring.svc:99999"', 'e.g. "https://alertmanager.example.com"'],
  ['a registry port of 70000', o({ common: { imageRegistry: 'registry.example.com:70000/mirror' } }), 'common.imageRegistry', '"registry.example.com:70000/mirror"', 'registry.example.com:5000'],
  ['an image registry port of 0', o({ grafana: { image: { repository: 'localhost:0/grafana' } } }), 'grafana.image.repository', '"localhost:0/grafana"', 'docker.io/grafana/grafana'],
  ['a store URL port of 70000', o({ loki: { objectStorage: { endpoint: 'http://minio.minio.svc:70000' } } }, 'large'), 'loki.objectStorage.endpoint', '"http://minio.minio.svc:70000"', '"http://minio.minio.svc:9000"'],
];

const DURATIONS: Case[] = [
  ['1000y (beyond Go\'s duration range)', o({ prometheus: { retention: '1000y' } }), 'prometheus.retention', '"1000y"', 'e.g. "15d"'],
  ['293y of Loki retention', o({ loki: { retention: '106945d' } }), 'loki.retention', '"106945d"', 'e.g. "168h"'],
  ['2562048h of Tempo retention (just past Go\'s range)', o({ tempo: { retention: '2562048h' } }), 'tempo.retention', '"2562048h"', 'e.g. "336h"'],
  ['"0s" like "0"', o({ prometheus: { scrapeInterval: '0s' } }), 'prometheus.scrapeInterval', '"0s"', 'positive duration'],
  ['"0"', o({ prometheus: { evaluationInterval: '0' } }), 'prometheus.evaluationInterval', '"0"', 'positive duration'],
  ['"0h0m" as an alert delay', o({ alerts: { thresholds: { for: '0h0m' } } }), 'alerts.thresholds.for', '"0h0m"', 'positive duration'],
  ['Loki retention "0s" (zero means forever in Loki)', o({ loki: { retention: '0s' } }), 'loki.retention', '"0s"', 'write "forever"'],
  ['Loki retention "0"', o({ loki: { retention: '0' } }), 'loki.retention', '"0"', 'write "forever"'],
  ['Loki retention not in whole days', o({ loki: { retention: '36h' } }), 'loki.retention', '"36h"', 'multiple of 24h'],
  ['a zero max query length (no limit upstream)', o({ loki: { limits: { maxQueryLength: '0s' } } }), 'loki.limits.maxQueryLength', '"0s"', 'positive duration'],
  ['Tempo retention "0s"', o({ tempo: { retention: '0s' } }), 'tempo.retention', '"0s"', 'positive duration'],
  ['Tempo retention in days', o({ tempo: { retention: '14d' } }), 'tempo.retention', '"14d"', 'no "d" or "w" unit'],
  ['cAdvisor housekeeping in days (a Go flag)', o({ cadvisor: { housekeepingInterval: '1d' } }), 'cadvisor.housekeepingInterval', '"1d"', 'no "d" or "w" unit'],
  ['a negative Go duration (Go parses it)', o({ otlpGateway: { retry: { max_elapsed_time: '-5m' } } }), 'otlpGateway.retry.max_elapsed_time', '"-5m"', 'use a positive duration'],
  ['a negative duration', o({ prometheus: { retention: '-3d' } }), 'prometheus.retention', '"-3d"', 'units ms, s, m, h, d, w, y'],
  ['units out of order', o({ prometheus: { retention: '1m1h' } }), 'prometheus.retention', '"1m1h"', 'e.g. "15d"'],
  ['a duration as a number', o({ prometheus: { retention: 15 } }), 'prometheus.retention', '15', 'e.g. "15d"'],
  ['a duration with a space', o({ alerts: { thresholds: { downFor: '2 m' } } }), 'alerts.thresholds.downFor', '"2 m"', 'e.g. "2m"'],
  ['a scrape timeout above the interval', o({ prometheus: { scrapeInterval: '10s', scrapeTimeout: '20s' } }), 'prometheus.scrapeTimeout', '"20s"', 'no longer than the interval'],
];

const QUANTITIES: Case[] = [
  ['a quantity with a space', o({ prometheus: { resources: { requests: { memory: '2 GB' } } } }), 'prometheus.resources.requests.memory', '"2 GB"', 'e.g. "256Mi"'],
  ['a quantity as a number', o({ loki: { resources: { limits: { cpu: 2 } } } }), 'loki.resources.limits.cpu', '2', 'e.g. "500m"'],
  ['a quantity above 2^63-1', o({ tempo: { resources: { limits: { memory: '9999999999Ei' } } } }), 'tempo.resources.limits.memory', '"9999999999Ei"', 'e.g. "512Mi"'],
  ['a CPU below 1m', o({ grafana: { resources: { requests: { cpu: '0.0001' } } } }), 'grafana.resources.requests.cpu', '"0.0001"', 'e.g. "100m"'],
  ['a zero volume', o({ loki: { storage: { size: '0Gi' } } }), 'loki.storage.size', '"0Gi"', 'e.g. "10Gi"'],
  ['an exponent quantity (1e21)', o({ loki: { storage: { size: '1e21' } } }), 'loki.storage.size', '"1e21"', 'e.g. "10Gi"'],
  ['a request above its limit', o({ tempo: { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } } }), 'tempo.resources.requests.cpu', '"2"', 'raise the limit'],
  ['a retention size of zero', o({ prometheus: { retentionSize: '0GB' } }), 'prometheus.retentionSize', '"0GB"', 'e.g. "8GB"'],
  ['a retention size above the volume', o({ prometheus: { retentionSize: '20GB', storage: { size: '10Gi' } } }), 'prometheus.retentionSize', '"20GB"', 'grow the volume'],
];

const URLS: Case[] = [
  ['credentials in the ArgoCD repo URL', o({ argocd: { repoURL: 'https://user:token@git.example.com/obs.git' } }), 'argocd.repoURL', '"https://user:token@git.example.com/obs.git"', 'remove them'],
  ['a token as the user of the ArgoCD repo URL', o({ argocd: { repoURL: 'https://ghp_abc@git.example.com/obs.git' } }), 'argocd.repoURL', '"https://ghp_abc@git.example.com/obs.git"', 'remove them'],
  ['a password in an SSH repo URL', o({ argocd: { repoURL: 'ssh://git:pw@git.example.com/obs.git' } }), 'argocd.repoURL', '"ssh://git:pw@git.example.com/obs.git"', 'SSH key'],
  ['credentials in the destination server', o({ argocd: { destinationServer: 'https://admin:pw@k8s.example.com:6443' } }), 'argocd.destinationServer', '"https://admin:pw@k8s.example.com:6443"', 'remove them'],
  ['an http destination server', o({ argocd: { destinationServer: 'http://k8s.example.com' } }), 'argocd.destinationServer', '"http://k8s.example.com"', 'https://kubernetes.default.svc'],
  ['credentials in a remote-write URL', rw({ url: 'https://u:p@m.example.com/push' }), 'prometheus.remoteWrite[0].url', '"https://u:p@m.example.com/push"', 'basicAuth or bearerToken'],
  ['a token in a remote-write query', rw({ url: 'https://m.example.com/push?access_token=abc' }), 'prometheus.remoteWrite[0].url', '"https://m.example.com/push?access_token=abc"', 'basicAuth or bearerToken'],
  ['credentials in an Alertmanager URL', am({ url: 'https://u:p@am.example.com' }), 'alerts.alertmanagers[0].url', '"https://u:p@am.example.com"', 'basicAuth or bearerToken'],
  ['credentials in an object store endpoint', o({ tempo: { objectStorage: { endpoint: 'https://AKIA:secret@s3.example.com' } } }, 'large'), 'tempo.objectStorage.endpoint', '"https://AKIA:secret@s3.example.com"', 'credentials.source'],
  ['credentials in the metrics datasource URL', o({ grafana: { metricsDatasource: { url: 'https://u:p@mimir.example.com/prometheus' } } }), 'grafana.metricsDatasource.url', '"https://u:p@mimir.example.com/prometheus"', 'remove them'],
  ['a key in the metrics datasource query', o({ grafana: { metricsDatasource: { url: 'https://mimir.example.com/prometheus?api_key=x' } } }), 'grafana.metricsDatasource.url', '"https://mimir.example.com/prometheus?api_key=x"', 'basicAuth or bearerToken'],
  ['a URL without scheme', rw({ url: 'mimir:9009' }), 'prometheus.remoteWrite[0].url', '"mimir:9009"', 'https://'],
  ['a URL with a fragment', rw({ url: 'https://m.example.com/push#x' }), 'prometheus.remoteWrite[0].url', '"https://m.example.com/push#x"', 'remove it'],
  ['a URL with a zero-width space', rw({ url: 'https://m.example.com/pu\u200bsh' }), 'prometheus.remoteWrite[0].url', '"https://m.example.com/pu\\u200bsh"', 'e.g. "https://mimir.example.com/api/v1/push"'],
  ['a URL with a newline', o({ grafana: { metricsDatasource: { url: 'https://m.example.com/\n' } } }), 'grafana.metricsDatasource.url', '"https://m.example.com/\\n"', 'e.g. "https://mimir.example.com/prometheus"'],
  ['a store endpoint with a path', o({ loki: { objectStorage: { endpoint: 'https://minio.example.com/bucket' } } }, 'large'), 'loki.objectStorage.endpoint', '"https://minio.example.com/bucket"', '"https://s3.eu-west-1.amazonaws.com"'],
  ['a repo URL that is not one', o({ argocd: { repoURL: 'my repo' } }), 'argocd.repoURL', '"my repo"', 'https://'],
];

const NAMES: Case[] = [
  ['kube-system as the stack namespace', o({ common: { namespace: 'kube-system' } }), 'common.namespace', '"kube-system"', 'a namespace of its own'],
  ['kube-public as the stack namespace', o({ common: { namespace: 'kube-public' } }), 'common.namespace', '"kube-public"', 'a namespace of its own'],
  ['kube-node-lease as the agents namespace', o({ common: { agentNamespace: 'kube-node-lease' } }), 'common.agentNamespace', '"kube-node-lease"', 'a namespace of its own'],
  ['default as the agents namespace', o({ common: { agentNamespace: 'default' } }), 'common.agentNamespace', '"default"', 'a namespace of its own'],
  ['a kube- prefixed namespace', o({ common: { namespace: 'kube-observability' } }), 'common.namespace', '"kube-observability"', 'a namespace of its own'],
  ['the ArgoCD namespace as the stack namespace', o({ common: { namespace: 'argocd' } }), 'common.namespace', '"argocd"', 'a namespace of its own'],
  ['a custom ArgoCD namespace as the agents namespace', o({ common: { agentNamespace: 'gitops' }, argocd: { namespace: 'gitops' } }), 'common.agentNamespace', '"gitops"', 'a namespace of its own'],
  ['the same namespace for servers and agents', o({ common: { namespace: 'obs', agentNamespace: 'obs' } }), 'common.agentNamespace', '"obs"', 'separate namespace'],
  ['a namespace as a number', o({ common: { namespace: 5 } }), 'common.namespace', '5', 'DNS label'],
  ['a cluster name with a right-to-left override', o({ common: { clusterName: 'prod\u202eue' } }), 'common.clusterName', '"prod\\u202eue"', 'e.g. "prod-eu"'],
  ['a label value with a zero-width space', o({ common: { labels: { team: 'a\u200bb' } } }), 'common.labels.team', '"a\\u200bb"', '63 letters'],
  ['an empty label key', o({ common: { labels: { '': 'x' } } }), 'common.labels[""]', '""', 'e.g. "team"'],
  ['a label value that is a number', o({ common: { labels: { team: 1 } } }), 'common.labels.team', '1', '63 letters'],
  ['labels as a string', o({ common: { labels: 'team=a' } }), 'common.labels', '"team=a"', '{ team: "platform" }'],
  ['an external label that is not a Prometheus label name', o({ prometheus: { externalLabels: { 'my-region': 'eu' } } }), 'prometheus.externalLabels.my-region', '"my-region"', 'letters, digits and "_"'],
  ['an external label starting with a digit', o({ prometheus: { externalLabels: { '1region': 'eu' } } }), 'prometheus.externalLabels.1region', '"1region"', 'letters, digits and "_"'],
  ['a reserved external label (__)', o({ prometheus: { externalLabels: { __name__: 'x' } } }), 'prometheus.externalLabels.__name__', '"__name__"', 'letters, digits and "_"'],
  ['an external label value with a newline', o({ prometheus: { externalLabels: { region: 'eu\n' } } }), 'prometheus.externalLabels.region', '"eu\\n"', 'visible characters'],
  ['a Secret key "..", which Kubernetes refuses', o({ grafana: { adminSecret: { userKey: '..' } } }), 'grafana.adminSecret.userKey', '".."', 'e.g. "admin-user"'],
  ['a Git revision with a space', o({ argocd: { targetRevision: 'main branch' } }), 'argocd.targetRevision', '"main branch"', 'e.g. "main"'],
  ['a Git revision with ".."', o({ argocd: { targetRevision: 'a..b' } }), 'argocd.targetRevision', '"a..b"', 'e.g. "main"'],
  ['an image without registry host', o({ loki: { image: { repository: 'grafana/loki' } } }), 'loki.image.repository', '"grafana/loki"', '"docker.io/grafana/loki"'],
  ['an image pinned to latest', o({ tempo: { image: { tag: 'latest' } } }), 'tempo.image.tag', '"latest"', 'exact version'],
  ['an image digest in the repository', o({ grafana: { image: { repository: 'docker.io/grafana/grafana@sha256:abc' } } }), 'grafana.image.repository', '"docker.io/grafana/grafana@sha256:abc"', 'docker.io/grafana/grafana'],
  ['an image as a string', o({ prometheus: { image: 'quay.io/prometheus/prometheus:v3' } }), 'prometheus.image', '"quay.io/prometheus/prometheus:v3"', 'write it as { repository, tag }'],
];

const CIDRS: Case[] = [
  ['an IPv4 CIDR without prefix', o({ networkPolicy: { kubeApiServer: { cidrs: ['10.0.0.1'] } } }), 'networkPolicy.kubeApiServer.cidrs[0]', '"10.0.0.1"', '"172.18.0.2/32"'],
  ['an IPv4 octet above 255', o({ networkPolicy: { kubeApiServer: { cidrs: ['10.0.0.300/32'] } } }), 'networkPolicy.kubeApiServer.cidrs[0]', '"10.0.0.300/32"', '"172.18.0.2/32"'],
  ['an IPv4 prefix above 32', o({ networkPolicy: { externalEgress: { cidrs: ['10.0.0.0/33'] } } }), 'networkPolicy.externalEgress.cidrs[0]', '"10.0.0.0/33"', '"0.0.0.0/0"'],
  ['an IPv4 octet with a leading zero', o({ networkPolicy: { externalEgress: { cidrs: ['010.0.0.0/8'] } } }), 'networkPolicy.externalEgress.cidrs[0]', '"010.0.0.0/8"', '"0.0.0.0/0"'],
  ['an IPv6 prefix above 128', o({ networkPolicy: { externalEgress: { cidrs: ['2001:db8::/129'] } } }), 'networkPolicy.externalEgress.cidrs[0]', '"2001:db8::/129"', '"fd00::/8"'],
  ['an IPv6 address with nine groups', o({ networkPolicy: { externalEgress: { cidrs: ['1:2:3:4:5:6:7:8:9/64'] } } }), 'networkPolicy.externalEgress.cidrs[0]', '"1:2:3:4:5:6:7:8:9/64"', '"fd00::/8"'],
  ['an IPv6 address with two "::"', o({ networkPolicy: { kubeApiServer: { cidrs: ['1::2::3/64'] } } }), 'networkPolicy.kubeApiServer.cidrs[0]', '"1::2::3/64"', '"fd00::/8"'],
  ['an IPv6 zone in a CIDR', o({ networkPolicy: { kubeApiServer: { cidrs: ['fe80::1%eth0/64'] } } }), 'networkPolicy.kubeApiServer.cidrs[0]', '"fe80::1%eth0/64"', '"fd00::/8"'],
  ['an IPv6 group of five digits', o({ networkPolicy: { kubeApiServer: { cidrs: ['2001:db8:12345::/48'] } } }), 'networkPolicy.kubeApiServer.cidrs[0]', '"2001:db8:12345::/48"', '"fd00::/8"'],
];

const UNKNOWN_KEYS: Case[] = [
  ['a typo at the top', o({ promethues: {} }), 'promethues', '{}', 'did you mean "prometheus"?'],
  ['the old images table', o({ images: { loki: { tag: '3.7.6' } } }), 'images', '{"loki":{"tag":"3.7.6"}}', 'use one of: alertmanager, alerts, alloy'],
  ['the old ports table', o({ ports: { grafana: { http: 3000 } } }), 'ports', '{"grafana":{"http":3000}}', 'use one of: alertmanager, alerts, alloy'],
  ['a typo in a section', o({ prometheus: { retension: '15d' } }), 'prometheus.retension', '"15d"', 'did you mean "retention"?'],
  ['a typo in a nested object', o({ loki: { limits: { ingestion_rate_mb: 4 } } }), 'loki.limits.ingestion_rate_mb', '4', 'did you mean "ingestionRateMB"?'],
  ['a typo three levels deep', o({ tempo: { objectStorage: { credentials: { secretname: 'x' } } } }), 'tempo.objectStorage.credentials.secretname', '"x"', 'did you mean "secretName"?'],
  ['an unknown component', o({ jaeger: { enabled: true } }), 'jaeger', '{"enabled":true}', 'use one of'],
  ['an unknown storage option', o({ grafana: { storage: { class: 'fast' } } }), 'grafana.storage.class', '"fast"', 'use one of: persistent, size, storageClassName'],
  ['an unknown resources key', o({ demo: { resources: { request: { cpu: '1' } } } }), 'demo.resources.request', '{"cpu":"1"}', 'did you mean "requests"?'],
  ['a section given as a list', o({ prometheus: [] }), 'prometheus', '[]', 'write it as { evaluationInterval'],
  ['a section given as null', o({ loki: { objectStorage: null } }), 'loki.objectStorage', 'null', 'write it as { accountName, bucket'],
];

const ENVIRONMENT_LEVEL: Case[] = [
  ['overrides: null', { def: { name: 'staging', profile: 'prod', overrides: null } }, 'environments.staging.overrides', 'null', 'leave them out'],
  ['overrides as a string', { def: { name: 'staging', profile: 'prod', overrides: 'loki' } }, 'environments.staging.overrides', '"loki"', 'as an object'],
  ['overrides as a list', { def: { name: 'staging', profile: 'prod', overrides: [] } }, 'environments.staging.overrides', '[]', 'as an object'],
  ['a number as environment name', { def: { name: 5, profile: 'prod' } }, 'environments[].name', '5', 'DNS label'],
  ['an empty environment name', { def: { name: '', profile: 'prod' } }, 'environments[].name', '""', 'DNS label'],
  ['argocd as environment name', { def: { name: 'argocd', profile: 'prod' } }, 'environments[].name', '"argocd"', 'another name'],
  ['an unknown profile', { def: { name: 'qa', profile: 'staging' } }, 'environments.qa.profile', '"staging"', 'use one of: dev, prod, large'],
  ['a typo in the definition (overide)', { def: { name: 'qa', profile: 'prod', overide: { loki: {} } } }, 'environments.qa.overide', '{"loki":{}}', 'use one of: dashboards, name, overrides, profile'],
  ['a cycle in the overrides', { def: { name: 'qa', profile: 'prod', overrides: (() => { const c: Record<string, unknown> = {}; c.self = c; return { common: c }; })() } }, 'common.self', '{"self":[circular]}', 'write the value out'],
];

const CROSS_FIELD: Case[] = [
  ['the demo without Tempo', o({ tempo: { enabled: false } }), 'demo.enabled', 'true', 'enable tempo'],
  ['Tempo without receivers', o({ tempo: { receivers: { otlpGrpc: false, otlpHttp: false } } }), 'tempo.receivers', '{"otlpGrpc":false,"otlpHttp":false,"jaeger":false,"zipkin":false}', 'at least otlpGrpc'],
  ['Loki simple-scalable on filesystem', o({ loki: { mode: 'simple-scalable' } }), 'loki.objectStorage.type', '"filesystem"', '"s3", "gcs" or "azure"'],
  ['prune without automated sync', o({ argocd: { prune: true } }), 'argocd.prune', 'true', 'automated: true'],
  ['prod without the admin Secret', o({ grafana: { adminSecret: { name: '' } } }, 'prod'), 'grafana.adminSecret.name', '""', 'kubectl create secret'],
  ['an Ingress without host', o({ grafana: { ingress: { enabled: true } } }), 'grafana.ingress.host', '""', 'grafana.example.com'],
  ['S3 without a bucket', o({ loki: { objectStorage: { bucket: '' } } }, 'large'), 'loki.objectStorage.bucket', '""', 'bucket name'],
  ['workload identity without annotations', o({ loki: { objectStorage: { credentials: { source: 'workloadIdentity' } } } }, 'large'), 'loki.objectStorage.credentials.serviceAccountAnnotations', '{}', 'eks.amazonaws.com/role-arn'],
  ['an empty DNS selector', o({ networkPolicy: { dns: { podSelector: {} } } }), 'networkPolicy.dns.podSelector', '{}', '"k8s-app": "kube-dns"'],
  ['a PriorityClass to create without a name', o({ common: { priorityClass: { create: true } } }), 'common.priorityClass.create', 'true', 'common.priorityClassName'],
];

const amr = (receiver: Record<string, unknown>) => o({ alertmanager: { receivers: [{ name: 'default' }, { name: 'r', ...receiver }] } });
const SECRET = { secretName: 'alertmanager-receivers', key: 'url' };

const ALERTING_AND_OTLP: Case[] = [
  ['a route to a receiver that does not exist', o({ alertmanager: { route: { receiver: 'pager' } } }), 'alertmanager.route.receiver', '"pager"', 'use one of: default, watchdog, or add it'],
  ['a child route to a misspelt receiver', o({ alertmanager: { route: { routes: [{ receiver: 'defualt' }] } } }), 'alertmanager.route.routes[0].receiver', '"defualt"', 'add it to alertmanager.receivers'],
  ['matchers on the root route', o({ alertmanager: { route: { matchers: ['severity="critical"'] } } }), 'alertmanager.route.matchers', '["severity=\\"critical\\""]', 'move the matchers to a child route'],
  ['a matcher without an operator', o({ alertmanager: { route: { routes: [{ matchers: ['severity critical'] }] } } }), 'alertmanager.route.routes[0].matchers[0]', '"severity critical"', 'an operator (=, !=, =~, !~)'],
  ['a matcher with a lookahead', o({ alertmanager: { route: { routes: [{ matchers: ['ns=~"(?!kube).*"'] }] } } }), 'alertmanager.route.routes[0].matchers[0]', '"ns=~\\"(?!kube).*\\""', 'RE2 syntax'],
  ['a zero repeat interval', o({ alertmanager: { route: { repeat_interval: '0' } } }), 'alertmanager.route.repeat_interval', '"0"', 'a positive duration, e.g. "4h"'],
  ['a group_interval that is a number', o({ alertmanager: { route: { group_interval: 300 } } }), 'alertmanager.route.group_interval', '300', 'e.g. "5m"'],
  ['group_by with a dashed label', o({ alertmanager: { route: { group_by: ['k8s-namespace'] } } }), 'alertmanager.route.group_by[0]', '"k8s-namespace"', 'letters, digits and "_"'],
  ['a typo in a route (group-by)', o({ alertmanager: { route: { 'group-by': ['alertname'] } } }), 'alertmanager.route.group-by', '["alertname"]', 'did you mean "group_by"?'],
  ['a receiver name with a space', o({ alertmanager: { receivers: [{ name: 'team a' }] } }), 'alertmanager.receivers[0].name', '"team a"', '"team-a-slack"'],
  ['a webhook URL written inline', amr({ webhook_configs: [{ url_file: SECRET, url: 'https://hooks.example.com/x' }] }), 'alertmanager.receivers[1].webhook_configs[0].url', '"https://hooks.example.com/x"', 'url_file'],
  ['a Slack webhook file as a path string', amr({ slack_configs: [{ api_url_file: '/etc/secret/url' }] }), 'alertmanager.receivers[1].slack_configs[0].api_url_file', '"/etc/secret/url"', 'write it as { key, secretName }'],
  ['a PagerDuty key in a Secret with a bad key name', amr({ pagerduty_configs: [{ routing_key_file: { secretName: 'pd', key: 'routing key' } }] }), 'alertmanager.receivers[1].pagerduty_configs[0].routing_key_file.key', '"routing key"', 'letters, digits'],
  ['a PagerDuty severity that does not exist', amr({ pagerduty_configs: [{ routing_key_file: SECRET, severity: 'high' }] }), 'alertmanager.receivers[1].pagerduty_configs[0].severity', '"high"', 'critical, error, warning, info'],
  ['an Opsgenie priority P6', amr({ opsgenie_configs: [{ api_key_file: SECRET, priority: 'P6' }] }), 'alertmanager.receivers[1].opsgenie_configs[0].priority', '"P6"', 'P1 to P5'],
  ['an Opsgenie API URL with a key in the query', amr({ opsgenie_configs: [{ api_key_file: SECRET, api_url: 'https://api.opsgenie.com/?apiKey=abc' }] }), 'alertmanager.receivers[1].opsgenie_configs[0].api_url', '"https://api.opsgenie.com/?apiKey=abc"', 'remove it'],
  ['an e-mail smarthost without a port', amr({ email_configs: [{ to: 'a@example.com', from: 'b@example.com', smarthost: 'smtp.example.com' }] }), 'alertmanager.receivers[1].email_configs[0].smarthost', '"smtp.example.com"', '"smtp.example.com:587"'],
  ['an SMTP password without a user', amr({ email_configs: [{ to: 'a@example.com', from: 'b@example.com', smarthost: 'smtp.example.com:587', auth_password_file: SECRET }] }), 'alertmanager.receivers[1].email_configs[0].auth_username', 'undefined', 'set the SMTP user name'],
  ['a negative max_alerts', amr({ webhook_configs: [{ url_file: SECRET, max_alerts: -1 }] }), 'alertmanager.receivers[1].webhook_configs[0].max_alerts', '-1', 'e.g. 0'],
  ['an inhibit rule that inhibits everything', o({ alertmanager: { inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: [], equal: [] }] } }), 'alertmanager.inhibit_rules[0].target_matchers', '[]', 'name the inhibited alerts'],
  ['a Watchdog to a receiver that does not exist', o({ alertmanager: { watchdog: { receiver: 'dms' } } }), 'alertmanager.watchdog.receiver', '"dms"', 'add a receiver named "dms"'],
  ['a template file with another extension', o({ alertmanager: { templates: { 'team.txt': '{{ define "t" }}{{ end }}' } } }), 'alertmanager.templates.team.txt', '"team.txt"', 'ending in ".tmpl"'],
  ['Alertmanager gossip on the API port', o({ alertmanager: { ports: { cluster: 9093 } } }), 'alertmanager.ports.cluster', '9093', 'its own number'],
  ['a memory limiter spike above its limit', o({ otlpGateway: { memoryLimiter: { spike_limit_percentage: 90 } } }), 'otlpGateway.memoryLimiter.spike_limit_percentage', '90', 'e.g. 20 with 80'],
  ['a memory limiter of 120%', o({ otlpGateway: { memoryLimiter: { limit_percentage: 120 } } }), 'otlpGateway.memoryLimiter.limit_percentage', '120', 'an integer from 1 to 100'],
  ['a batch maximum below the batch size', o({ otlpGateway: { batch: { send_batch_size: 100, send_batch_max_size: 10 } } }), 'otlpGateway.batch.send_batch_max_size', '10', 'at least as large as send_batch_size'],
  ['a retry time in days', o({ otlpGateway: { retry: { max_elapsed_time: '1d' } } }), 'otlpGateway.retry.max_elapsed_time', '"1d"', 'no "d" or "w" unit'],
  ['a retry starting above its maximum', o({ otlpGateway: { retry: { initial_interval: '1m', max_interval: '30s' } } }), 'otlpGateway.retry.initial_interval', '"1m"', 'no longer than the maximum'],
  ['the gateway\'s gRPC and HTTP on one port', o({ otlpGateway: { ports: { http: 4317 } } }), 'otlpGateway.ports.http', '4317', 'its own number'],
  ['the demo over OTLP without the gateway', o({ demo: { otlp: 'all' }, otlpGateway: { enabled: false } }), 'demo.otlp', '"all"', 'otlpGateway.enabled: true'],
  ['the demo\'s traces to a Tempo without its OTLP/HTTP receiver', o({ tempo: { receivers: { otlpHttp: false } } }), 'tempo.receivers.otlpHttp', 'false', 'set tempo.receivers.otlpHttp: true'],
  ['the demo through the gateway to a Tempo without an OTLP receiver', o({ demo: { otlp: 'all' }, tempo: { receivers: { otlpGrpc: false, otlpHttp: false, zipkin: true } } }), 'tempo.receivers', '{"otlpGrpc":false,"otlpHttp":false,"jaeger":false,"zipkin":true}', 'set tempo.receivers.otlpGrpc or otlpHttp: true'],
  ['an OTLP mode that does not exist', o({ demo: { otlp: 'metrics' } }), 'demo.otlp', '"metrics"', '"traces"'],
];

const sc = (entry: Record<string, unknown>) => o({ prometheus: { extraScrapeConfigs: [{ jobName: 'payments', ...entry }] } });
const sd = (entry: Record<string, unknown>) => sc({ kubernetesSdConfigs: [{ role: 'pod', port: 'metrics', ...entry }] });
const scrapeRelabel = (r: unknown) => sc({ staticConfigs: [{ targets: ['p.example.com:9100'] }], relabelConfigs: [r] });
const SC = 'prometheus.extraScrapeConfigs[0]';
const rg = (group: Record<string, unknown>) => o({ alerts: { extraRuleGroups: [{ name: 'payments', ...group }] } });
const rule = (r: Record<string, unknown>) => rg({ rules: [r] });
const RG = 'alerts.extraRuleGroups[0]';
const ds = (entry: Record<string, unknown>) => o({ grafana: { extraDatasources: [{ name: 'Billing DB', type: 'grafana-postgresql-datasource', uid: 'billing-db', ...entry }] } });
const DS = 'grafana.extraDatasources[0]';
const pods = (p: Record<string, unknown>, component = 'prometheus') => o({ [component]: { pods: p } });
const podAffinity = (a: Record<string, unknown>) => pods({ affinity: a });
const NODE_TERM = 'prometheus.pods.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';
const FIXTURES = join(__dirname, 'fixtures', 'dashboards');
const folder = (name: string) => o({ grafana: { dashboardsFolder: join(FIXTURES, name) } });
const BIG = 'x'.repeat(ANNOTATIONS_MAX_BYTES);

const EXTENSIONS: Case[] = [
  // prometheus.extraScrapeConfigs
  ['a scrape job without targets', sc({}), `${SC}.staticConfigs`, 'undefined', 'add staticConfigs'],
  ['a scrape job with static and discovered targets', sc({ staticConfigs: [{ targets: ['p.example.com:9100'] }], kubernetesSdConfigs: [{ role: 'pod', port: 9100 }] }), `${SC}.kubernetesSdConfigs`, '[{"role":"pod","port":9100}]', 'one kind of targets per job'],
  ['a static target without a port', sc({ staticConfigs: [{ targets: ['payments.example.com'] }] }), `${SC}.staticConfigs[0].targets[0]`, '"payments.example.com"', 'payments.example.com:9100'],
  ['a static target with a scheme', sc({ staticConfigs: [{ targets: ['https://payments.example.com:443'] }] }), `${SC}.staticConfigs[0].targets[0]`, '"https://payments.example.com:443"', 'scheme: "https"'],
  ['a static target on an IPv6 address', sc({ staticConfigs: [{ targets: ['[fd00::1]:9100'] }] }), `${SC}.staticConfigs[0].targets[0]`, '"[fd00::1]:9100"', 'use a host name'],
  ['a static target listed twice', sc({ staticConfigs: [{ targets: ['p.example.com:9100', 'p.example.com:9100'] }] }), `${SC}.staticConfigs[0].targets[1]`, '"p.example.com:9100"', 'list each target once'],
  ['a reserved target label', sc({ staticConfigs: [{ targets: ['p.example.com:9100'], labels: { __address__: 'x' } }] }), `${SC}.staticConfigs[0].labels.__address__`, '"__address__"', 'without "__"'],
  ['a job name with a space', sc({ jobName: 'my job', staticConfigs: [{ targets: ['p.example.com:9100'] }] }), `${SC}.jobName`, '"my job"', 'letters, digits'],
  ['two jobs with one name', o({ prometheus: { extraScrapeConfigs: [{ jobName: 'a', staticConfigs: [{ targets: ['a.example.com:1'] }] }, { jobName: 'a', staticConfigs: [{ targets: ['b.example.com:1'] }] }] } }), 'prometheus.extraScrapeConfigs[1].jobName', '"a"', 'its own name'],
  ['a job named like the stack\'s Loki job', sc({ jobName: 'loki', staticConfigs: [{ targets: ['p.example.com:9100'] }] }), `${SC}.jobName`, '"loki"', 'choose another name'],
  ['a job named like the annotated-pods job', sc({ jobName: 'kubernetes-pods', staticConfigs: [{ targets: ['p.example.com:9100'] }] }), `${SC}.jobName`, '"kubernetes-pods"', 'kubelet'],
  ['a discovery role obs-stack does not scrape with', sd({ role: 'node' }), `${SC}.kubernetesSdConfigs[0].role`, '"node"', '"pod", "service" or "endpointslice"'],
  ['a port name with capitals', sd({ port: 'Metrics' }), `${SC}.kubernetesSdConfigs[0].port`, '"Metrics"', 'e.g. "metrics"'],
  ['a port number above 65535', sd({ port: 70000 }), `${SC}.kubernetesSdConfigs[0].port`, '70000', 'from 1 to 65535'],
  ['a port given as true', sd({ port: true }), `${SC}.kubernetesSdConfigs[0].port`, 'true', 'the port\'s name'],
  ['a discovery without a port', sd({ port: undefined }), `${SC}.kubernetesSdConfigs[0].port`, 'undefined', 'the port\'s name'],
  ['a selector "In" without values', sd({ selector: { matchExpressions: [{ key: 'tier', operator: 'In' }] } }), `${SC}.kubernetesSdConfigs[0].selector.matchExpressions[0].values`, 'undefined', 'add the values'],
  ['a selector label key with a space', sd({ selector: { matchLabels: { 'app name': 'x' } } }), `${SC}.kubernetesSdConfigs[0].selector.matchLabels.app name`, '"app name"', 'e.g. "team"'],
  ['a namespace with capitals', sd({ namespaces: { names: ['Orders'] } }), `${SC}.kubernetesSdConfigs[0].namespaces.names[0]`, '"Orders"', 'e.g. "payments"'],
  ['one job discovering with two roles', sc({ kubernetesSdConfigs: [{ role: 'pod', port: 1 }, { role: 'service', port: 1 }] }), `${SC}.kubernetesSdConfigs`, '["pod","service"]', 'one job per role'],
  ['a job timeout above its interval', sc({ staticConfigs: [{ targets: ['p.example.com:9100'] }], scrapeInterval: '10s', scrapeTimeout: '20s' }), `${SC}.scrapeTimeout`, '"20s"', 'no longer than the interval'],
  ['a job timeout above the global interval', sc({ staticConfigs: [{ targets: ['p.example.com:9100'] }], scrapeTimeout: '1m' }), `${SC}.scrapeTimeout`, '"1m"', 'no longer than the interval'],
  ['tlsConfig on plain http', sc({ staticConfigs: [{ targets: ['p.example.com:9100'] }], tlsConfig: { serverName: 'p.example.com' } }), `${SC}.tlsConfig`, '{"serverName":"p.example.com"}', 'scheme: "https"'],
  ['a metrics path without "/"', sc({ staticConfigs: [{ targets: ['p.example.com:9100'] }], metricsPath: 'metrics' }), `${SC}.metricsPath`, '"metrics"', 'starting with "/"'],
  ['a scrape password in config', sc({ staticConfigs: [{ targets: ['p.example.com:9100'] }], basicAuth: { username: 'u', password: 'hunter2' } }), `${SC}.basicAuth.password`, '"hunter2"', 'did you mean "passwordKey"?'],
  ['hashmod without modulus', scrapeRelabel({ sourceLabels: ['__address__'], targetLabel: 'shard', action: 'hashmod' }), `${SC}.relabelConfigs[0].modulus`, 'undefined', 'set modulus'],
  ['lowercase into a $1 target', scrapeRelabel({ sourceLabels: ['team'], targetLabel: '$1', action: 'lowercase' }), `${SC}.relabelConfigs[0].targetLabel`, '"$1"', 'letters, digits and "_"'],
  ['keepequal with a regex', scrapeRelabel({ sourceLabels: ['a'], targetLabel: 'b', regex: 'x', action: 'keepequal' }), `${SC}.relabelConfigs[0].regex`, '"x"', 'remove regex'],
  ['labelmap with a modulus', scrapeRelabel({ regex: '(.+)', modulus: 2, action: 'labelmap' }), `${SC}.relabelConfigs[0].modulus`, '2', 'remove modulus'],
  ['a relabel action that does not exist', scrapeRelabel({ action: 'keepall' }), `${SC}.relabelConfigs[0].action`, '"keepall"', 'labelmap'],
  ['a relabel regex with a lookahead', scrapeRelabel({ sourceLabels: ['a'], regex: '(?=x)', action: 'keep' }), `${SC}.relabelConfigs[0].regex`, '"(?=x)"', 'no lookarounds'],
  // alerts.extraRuleGroups
  ['a rule expression that does not parse', rule({ alert: 'A', expr: 'sum(rate(x[5m])' }), `${RG}.rules[0].expr`, '"sum(rate(x[5m])"', 'PromQL syntax'],
  ['an empty rule expression', rule({ alert: 'A', expr: '' }), `${RG}.rules[0].expr`, '""', 'PromQL syntax'],
  ['a rule that is both alert and recording', rule({ alert: 'A', record: 'a:b', expr: 'up' }), `${RG}.rules[0].record`, '"a:b"', 'split it in two'],
  ['a rule that is neither', rule({ expr: 'up' }), `${RG}.rules[0].alert`, 'undefined', 'set alert'],
  ['a recording rule with for', rule({ record: 'job:up:sum', expr: 'sum(up)', for: '5m' }), `${RG}.rules[0].for`, '"5m"', 'make the rule an alert'],
  ['a recording rule name with a dash', rule({ record: 'job-up', expr: 'up' }), `${RG}.rules[0].record`, '"job-up"', 'job:http_requests:rate5m'],
  ['a rule label name with a dash', rule({ alert: 'A', expr: 'up == 0', labels: { 'team-name': 'x' } }), `${RG}.rules[0].labels.team-name`, '"team-name"', 'e.g. "severity"'],
  ['an annotation with an unclosed template', rule({ alert: 'A', expr: 'up == 0', annotations: { summary: '{{ $labels.pod is down' } }), `${RG}.rules[0].annotations.summary`, '"{{ $labels.pod is down"', 'close every template action'],
  ['a rule for that is not a duration', rule({ alert: 'A', expr: 'up == 0', for: '5 minutes' }), `${RG}.rules[0].for`, '"5 minutes"', '"5m"'],
  ['a group without rules', rg({ rules: [] }), `${RG}.rules`, '[]', 'add a rule'],
  ['two groups with one name', o({ alerts: { extraRuleGroups: [{ name: 'a', rules: [{ record: 'a:b', expr: 'up' }] }, { name: 'a', rules: [{ record: 'a:c', expr: 'up' }] }] } }), 'alerts.extraRuleGroups[1].name', '"a"', 'its own name'],
  ['alerting rules with alerts disabled', o({ alerts: { enabled: false, extraRuleGroups: [{ name: 'a', rules: [{ alert: 'PaymentsDown', expr: 'up == 0' }] }] } }), 'alerts.extraRuleGroups', '["PaymentsDown"]', 'set alerts.enabled: true'],
  // grafana.extraDatasources
  ['a password in jsonData', ds({ jsonData: { password: 'hunter2' } }), `${DS}.jsonData.password`, '"hunter2"', 'put it in secureJsonData'],
  ['a private key nested in jsonData', ds({ jsonData: { tls: { privateKey: 'x' } } }), `${DS}.jsonData.tls.privateKey`, '"x"', 'secureJsonData'],
  ['a secureJsonData value written out', ds({ secureJsonData: { password: 'hunter2' } }), `${DS}.secureJsonData.password`, '"hunter2"', 'write it as { key, secretName }'],
  ['a datasource URL with credentials', ds({ url: 'https://u:p@search.example.com:9200' }), `${DS}.url`, '"https://u:p@search.example.com:9200"', 'remove them'],
  ['a database address without port', ds({ url: 'billing-db' }), `${DS}.url`, '"billing-db"', 'the port written'],
  ['the uid of the stack\'s Prometheus', ds({ uid: 'prometheus' }), `${DS}.uid`, '"prometheus"', 'choose another uid'],
  ['the name of the stack\'s Loki', ds({ name: 'Loki' }), `${DS}.name`, '"Loki"', 'choose another name'],
  ['the uid of the stack\'s Alertmanager', ds({ uid: 'alertmanager' }), `${DS}.uid`, '"alertmanager"', 'choose another uid'],
  ['the uid of the local-rules datasource', ds({ uid: 'prometheus-local' }), `${DS}.uid`, '"prometheus-local"', 'choose another uid'],
  ['the name of the local-rules datasource', ds({ name: 'Prometheus (local rules)' }), `${DS}.name`, '"Prometheus (local rules)"', 'choose another name'],
  ['two datasources with one uid', o({ grafana: { extraDatasources: [{ name: 'A', type: 'x', uid: 'a' }, { name: 'B', type: 'x', uid: 'a' }] } }), 'grafana.extraDatasources[1].uid', '"a"', 'its own uid'],
  ['a plugin id with a space', ds({ type: 'Postgres DB' }), `${DS}.type`, '"Postgres DB"', 'grafana-postgresql-datasource'],
  ['isDefault on an extra datasource', ds({ isDefault: true }), `${DS}.isDefault`, 'true', 'use one of: basicAuth'],
  ['NaN in jsonData', ds({ jsonData: { maxOpenConns: NaN } }), `${DS}.jsonData.maxOpenConns`, 'NaN', 'finite number'],
  // dashboards (folder and library)
  ['a dashboards folder that does not exist', o({ grafana: { dashboardsFolder: join(FIXTURES, 'missing') } }), 'grafana.dashboardsFolder', JSON.stringify(join(FIXTURES, 'missing')), 'create the folder'],
  ['a dashboards folder without JSON files', folder('empty'), 'grafana.dashboardsFolder', JSON.stringify(join(FIXTURES, 'empty')), 'put the dashboards\' JSON files there'],
  ['a dashboard file that does not parse', folder('broken-json'), 'grafana.dashboardsFolder', JSON.stringify(join(FIXTURES, 'broken-json', 'broken.json')), 'fix the file'],
  ['a dashboard file without uid', folder('no-uid'), 'grafana.dashboardsFolder', JSON.stringify(join(FIXTURES, 'no-uid', 'no-uid.json')), 'a uid of its own'],
  ['a dashboard exported for sharing externally', folder('exported'), 'grafana.dashboardsFolder', JSON.stringify(join(FIXTURES, 'exported', 'exported.json')), 'remove __inputs'],
  ['a dashboard file named like the stack\'s', folder('stack-file'), 'grafana.dashboardsFolder', JSON.stringify(join(FIXTURES, 'stack-file', 'containers.json')), 'rename the file'],
  ['a library dashboard without uid', { def: { name: 't', profile: 'dev', dashboards: [new DashboardBuilder('Payments')] } }, 'dashboards[0]', '"dashboard \\"Payments\\""', 'a uid of its own'],
  ['a library dashboard with a stack uid', { def: { name: 't', profile: 'dev', dashboards: [new DashboardBuilder('Mine').uid('obs-stack-services')] } }, 'dashboards[0]', '"obs-stack-services"', 'a uid of its own'],
  ['two library dashboards with one uid', { def: { name: 't', profile: 'dev', dashboards: [new DashboardBuilder('A').uid('a'), new DashboardBuilder('B').uid('a')] } }, 'dashboards[1]', '"a"', 'a uid of its own'],
  ['dashboards given as one object', { def: { name: 't', profile: 'dev', dashboards: { uid: 'a' } } }, 'environments.t.dashboards', '{"uid":"a"}', 'new DashboardBuilder'],
  // <component>.pods and common.annotations
  ['a node selector value with a space', pods({ nodeSelector: { pool: 'a b' } }), 'prometheus.pods.nodeSelector.pool', '"a b"', '63 letters'],
  ['a typo in pods (nodeselector)', pods({ nodeselector: { pool: 'a' } }, 'loki'), 'loki.pods.nodeselector', '{"pool":"a"}', 'did you mean "nodeSelector"?'],
  ['an Alertmanager pod label under app.kubernetes.io/', pods({ labels: { 'app.kubernetes.io/name': 'x' } }, 'alertmanager'), 'alertmanager.pods.labels.app.kubernetes.io/name', '"app.kubernetes.io/name"', 'outside app.kubernetes.io/'],
  ['a gateway toleration "Exists" with a value', pods({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }, 'otlpGateway'), 'otlpGateway.pods.tolerations[0].value', '"v"', 'remove value'],
  ['a toleration "Exists" with a value', pods({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }), 'prometheus.pods.tolerations[0].value', '"v"', 'remove value'],
  ['a toleration of every key without "Exists"', pods({ tolerations: [{ effect: 'NoSchedule' }] }), 'prometheus.pods.tolerations[0].operator', 'undefined', 'operator: "Exists"'],
  ['tolerationSeconds without NoExecute', pods({ tolerations: [{ key: 'k', operator: 'Exists', tolerationSeconds: 60 }] }), 'prometheus.pods.tolerations[0].tolerationSeconds', '60', 'effect: "NoExecute"'],
  ['a taint effect that does not exist', pods({ tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoRun' }] }, 'grafana'), 'grafana.pods.tolerations[0].effect', '"NoRun"', '"NoSchedule", "PreferNoSchedule" or "NoExecute"'],
  ['required node affinity without terms', podAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }), NODE_TERM, '[]', 'add a term'],
  ['a node selector term without requirements', podAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } }), `${NODE_TERM}[0]`, '{}', 'add matchExpressions'],
  ['Gt with a word', podAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cpus', operator: 'Gt', values: ['many'] }] }] } } }), `${NODE_TERM}[0].matchExpressions[0].values`, '["many"]', '["4"]'],
  ['matchFields on a label', podAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['a'] }] }] } } }), `${NODE_TERM}[0].matchFields[0].key`, '"metadata.labels"', '"metadata.name"'],
  ['a preference of weight 0', podAffinity({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } }] } }), 'prometheus.pods.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', '0', 'from 1 to 100'],
  ['a pod anti-affinity term without topologyKey', podAffinity({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } } }] } }), 'prometheus.pods.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey', 'undefined', 'kubernetes.io/zone'],
  ['a pod label under app.kubernetes.io/', pods({ labels: { 'app.kubernetes.io/part-of': 'x' } }, 'tempo'), 'tempo.pods.labels.app.kubernetes.io/part-of', '"app.kubernetes.io/part-of"', 'outside app.kubernetes.io/'],
  ['a pod label value of 64 characters', pods({ labels: { team: 'a'.repeat(64) } }), 'prometheus.pods.labels.team', `"${'a'.repeat(64)}"`, '63 letters'],
  ['the config checksum as a pod annotation', pods({ annotations: { 'checksum/config': 'x' } }), 'prometheus.pods.annotations.checksum/config', '"checksum/config"', 'are reserved'],
  ['a prometheus.io annotation on a stack pod', pods({ annotations: { 'prometheus.io/scrape': 'true' } }, 'kafka'), 'kafka.pods.annotations.prometheus.io/scrape', '"prometheus.io/scrape"', 'are reserved'],
  ['kubectl\'s own annotation in common.annotations', o({ common: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } }), 'common.annotations.kubectl.kubernetes.io/last-applied-configuration', '"kubectl.kubernetes.io/last-applied-configuration"', 'are reserved'],
  ['an annotation key with a space', o({ common: { annotations: { 'my note': 'x' } } }), 'common.annotations.my note', '"my note"', 'example.com/owner'],
  ['an annotation value with a zero-width space', o({ common: { annotations: { 'example.com/note': 'a\u200bb' } } }), 'common.annotations.example.com/note', '"a\\u200bb"', 'visible characters'],
  ['annotations above 256 KiB', o({ common: { annotations: { 'example.com/blob': BIG } } }), 'common.annotations', `"${ANNOTATIONS_MAX_BYTES + 'example.com/blob'.length} bytes"`, 'ConfigMap'],
];

const ALL: ReadonlyArray<readonly [string, readonly Case[]]> = [
  ['list entries', LIST_ENTRIES],
  ['nested objects in list entries', NESTED_IN_LIST_ENTRIES],
  ['prototype keys and non-plain objects', PROTOTYPE_KEYS],
  ['numbers shown as given (NaN, Infinity, null, "1")', NUMBERS_SHOWN_AS_GIVEN],
  ['int32 and port ranges', INT32_AND_PORTS],
  ['durations', DURATIONS],
  ['quantities', QUANTITIES],
  ['URLs', URLS],
  ['names, labels and namespaces', NAMES],
  ['CIDRs', CIDRS],
  ['unknown keys', UNKNOWN_KEYS],
  ['environment definitions', ENVIRONMENT_LEVEL],
  ['fields checked together', CROSS_FIELD],
  ['alerting and the OTLP gateway', ALERTING_AND_OTLP],
  ['extension points', EXTENSIONS],
];

function refusal(input: Input): StackConfigError {
  const def = ('def' in input ? input.def : { name: 't', profile: input.profile ?? 'dev', overrides: input.overrides }) as EnvironmentDefinition;
  try {
    // Some refusals need the built stack (job names the stack's jobs use, dashboard files): still before any output.
    buildStack(resolveEnvironment(def));
  } catch (e) {
    if (e instanceof StackConfigError) return e;
    throw new Error(`expected a StackConfigError, got ${String(e)}`);
  }
  throw new Error('expected the configuration to be refused');
}

describe('refused configurations: path, value as given, fix', () => {
  test('the table holds at least 150 cases', () => {
    expect(ALL.reduce((n, [, cases]) => n + cases.length, 0)).toBeGreaterThanOrEqual(150);
  });

  describe.each(ALL)('%s', (_group, cases) => {
    test.each(cases)('fails on %s', (_what, input, path, shown, fix) => {
      const error = refusal(input);
      // Paths as printed: invisible characters in keys are escaped.
      const issue = error.issues.find((i) => escapeInvisible(i.path) === path);
      if (issue === undefined) throw new Error(`no issue at ${path}; got:\n${error.message}`);
      expect(showValue(issue.value)).toBe(shown);
      expect(issue.fix).toContain(fix);
      // The printed line: path, the value as shown, the message, "; ", the fix; nothing invisible.
      const line = formatIssue(issue);
      expect(line.startsWith(`${path}: ${shown} `)).toBe(true);
      expect(line).toContain(`; ${issue.fix}`);
      expect(error.message).toContain(`  - ${line}`);
      expect(error.message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\ufeff]/);
    });
  });
});
