/**
 * Alertmanager as a stack component: it receives alerts (`src/lib/receivers.ts`) on every replica, its
 * datasource (the alerts role) reads alerts and manages silences, the replicas gossip with each other.
 */
import type { StackConfig } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import { ALERTMANAGER_DATASOURCE, ALERTMANAGER_ENDPOINTS, ALERTMANAGER_NAMES, alertmanagerPodAddresses } from './endpoints';
import { type StackComponent, configSection } from '../component';
import { alertmanagerExternalEndpoints } from './external';
import { Alertmanager, alertmanagerScrapeTarget } from './alertmanager';
import { hasIntegrations } from './alertmanager-config';
import { ALERTMANAGER_DEFAULTS, ALERTMANAGER_PROFILES, alertmanagerDeployed, alertmanagerSchema } from './config';
import { alertmanagerHelm } from './helm';
import { alertmanagerUserSecrets } from './secrets';
import { alertmanagerDatasources } from './datasource';

export { alertmanagerDeployed };

export const alertmanager: StackComponent = {
  id: 'alertmanager',
  enabled: alertmanagerDeployed,
  datasources: { identities: [ALERTMANAGER_DATASOURCE], contribute: alertmanagerDatasources },
  pods: (cfg) => cfg.alertmanager.pods,
  externalEndpoints: alertmanagerExternalEndpoints,
  userSecrets: alertmanagerUserSecrets,
  // The alerts' sender notifies every replica by its pod name on the headless Service (alerts go to each; the
  // replicas deduplicate notifications among themselves).
  receivers: (cfg, endpoints) => ({
    alerts: {
      endpoint: endpoints.alertmanager.peers,
      target: (wired) => alertmanagerPodAddresses(wired, cfg.alertmanager.replicas).map((address) => `http://${address}`),
      name: 'Alertmanager API, every replica',
      note: 'Alerts to each Alertmanager replica by its pod name; the replicas deduplicate notifications among themselves.',
    },
  }),
  readme: {
    // Silences and the notification log: kept `retention`, lost with an emptyDir when every replica moves.
    retention: (cfg) => cfg.alertmanager.retention,
    ephemeralData: (cfg) => !cfg.alertmanager.storage.persistent,
    access: (build) => alertmanagerReadme(build.env.config, build.endpoints.alertmanager.http),
  },
  scrapeTargets: ({ endpoints }, scrape) => [alertmanagerScrapeTarget(scrape(endpoints.alertmanager.http))],
  build: ({ scope, cfg, labeler, endpoints, wire }) => {
    const cluster = endpoints.alertmanager.cluster;
    if (cluster) wire('alertmanager', cluster, 'gossip', 'meshes with its peers (silences, notification log; TCP and UDP)');
    return new Alertmanager(scope, 'alertmanager', { config: cfg.alertmanager, common: cfg.common, labeler, endpoints: endpoints.alertmanager });
  },
  helm: alertmanagerHelm,
};

/** What an environment's README says about its alerts: where they go, how to look at them. */
export function alertmanagerReadme(cfg: StackConfig, http: Endpoint): string[] {
  const a = cfg.alertmanager;
  const delivering = a.receivers.filter((r) => hasIntegrations([r]));
  return [
    '## Alerts',
    '',
    `Prometheus sends every firing alert to the Alertmanager (${a.replicas} ${a.replicas > 1 ? 'meshed replicas' : 'replica'}); Grafana shows them under`,
    'Alerting (the Alertmanager datasource: alert groups, silences). Its own UI:',
    '',
    '```sh',
    `kubectl -n ${http.namespace} port-forward svc/${http.service} ${http.port}:${http.port}   # then open http://localhost:${http.port}/`,
    '```',
    '',
    delivering.length === 0
      ? 'No receiver delivers anywhere yet: add one (Slack, e-mail, PagerDuty, Opsgenie, Teams, a webhook) in `alertmanager.receivers`, its credential in a Secret (`*_file` keys).'
      : `Receivers that deliver: ${delivering.map((r) => `\`${r.name}\``).join(', ')}; their credentials are the Secrets listed above.`,
    a.watchdog.enabled
      ? `The always-firing \`Watchdog\` goes to \`${a.watchdog.receiver}\` every ${a.watchdog.repeat_interval}: point it at a dead man's switch to learn when alerting itself stops.`
      : 'The Watchdog route is off.',
    '',
  ];
}

/** What the registry assembles from this folder. */
export const registration = {
  component: alertmanager,
  config: { alertmanager: configSection(alertmanagerSchema, ALERTMANAGER_DEFAULTS, ALERTMANAGER_PROFILES) },
  endpoints: ALERTMANAGER_ENDPOINTS,
  names: ALERTMANAGER_NAMES,
} as const;
