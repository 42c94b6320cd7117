/**
 * Prometheus as a stack component: scrapes every collected target, evaluates the stack's rules. Its own
 * rules and the stack-health dashboard (which the other components add rows to) are here too.
 */
import { StackConfigError } from '../../config/errors';
import { type StackComponent, configSection } from '../component';
import { prometheusExternalEndpoints } from './external';
import { annotatedPodsTelemetry } from './readme';
import { prometheusCapacity, prometheusSeriesBudget } from './sizing';
import { APP_METRICS_SOURCE, PROMETHEUS_METRICS, SCRAPE_METRICS } from './metrics';
import { RECORDING_RULES } from './recorded-series';
import { stackReceiver, stackReceives, stackSends } from '../../lib/receivers';
import { prometheusScrapeOf } from './jobs';
import { PROMETHEUS_IDENTITY, PROMETHEUS_TITLE, Prometheus, alertTargets } from './prometheus';
import { ANNOTATED_PODS_JOB, prometheusOtlpPromotedLabels } from './prometheus-config';
import { effectiveRetentionSize } from './retention';
import { prometheusRules } from './rules';
import { renderStackHealthDashboard } from './stack-health';
import { extraJobNameIssues, extraScrapeEgress } from './scrape-configs';
import { prometheusHelm } from './helm';
import { prometheusUserSecrets } from './secrets';
import { prometheusDatasources } from './datasource';
import { LOCAL_RULES_DATASOURCE, PROMETHEUS_DATASOURCE, PROMETHEUS_ENDPOINTS, PROMETHEUS_NAMES, prometheusOtlpUrl, prometheusRemoteWriteUrl } from './endpoints';
import { PROMETHEUS_DEFAULTS, PROMETHEUS_PROFILES, prometheusSchema } from './config';

export const prometheus: StackComponent<'prometheus'> = {
  id: 'prometheus',
  enabled: () => true,
  scraper: 'prometheus',
  ownJob: { job: PROMETHEUS_IDENTITY.name, title: PROMETHEUS_TITLE },
  datasources: { identities: [PROMETHEUS_DATASOURCE, LOCAL_RULES_DATASOURCE], contribute: prometheusDatasources },
  metricSources: [SCRAPE_METRICS, PROMETHEUS_METRICS, APP_METRICS_SOURCE, RECORDING_RULES],
  seriesBudget: prometheusSeriesBudget,
  pods: (cfg) => cfg.prometheus.pods,
  externalEndpoints: prometheusExternalEndpoints,
  userSecrets: prometheusUserSecrets,
  sends: (cfg, endpoints) => (stackReceiver('alerts', cfg, endpoints) === undefined ? [] : ['alerts']),
  receivers: (_cfg, endpoints) => ({
    'metrics-remote-write': {
      endpoint: endpoints.prometheus.http, target: prometheusRemoteWriteUrl, name: 'Prometheus remote-write receiver',
      note: 'Metrics to Prometheus\'s remote-write receiver (--web.enable-remote-write-receiver).',
    },
    'metrics-otlp': {
      endpoint: endpoints.prometheus.http, target: prometheusOtlpUrl, name: 'Prometheus OTLP receiver',
      note: 'Metrics to Prometheus\'s OTLP receiver (--web.enable-otlp-receiver).',
    },
  }),
  // Annotated pods announce their port at scrape time, anywhere; the user's discovery jobs reach their own targets.
  networkPolicy: (cfg) => ({
    annotatedPodScrapers: cfg.prometheus.scrapeAnnotatedPods ? ['prometheus'] : [],
    extraEgress: [{ from: 'prometheus', rules: extraScrapeEgress(cfg.prometheus.extraScrapeConfigs) }],
  }),
  readme: {
    retention: (cfg) => cfg.prometheus.retention,
    ephemeralData: (cfg) => !cfg.prometheus.storage.persistent,
    capacity: prometheusCapacity,
    ownTelemetry: (build) => annotatedPodsTelemetry(build.env.config),
  },
  build: ({ scope, env, cfg, labeler, endpoints, wire, scrapeTargets, ruleFiles }) => {
    // The user's jobs must not take a name the stack's jobs use with this config.
    const taken = new Set([PROMETHEUS_IDENTITY.name, ...scrapeTargets.map((t) => t.job), ...(cfg.prometheus.scrapeAnnotatedPods ? [ANNOTATED_PODS_JOB] : [])]);
    const clashes = extraJobNameIssues(cfg.prometheus.extraScrapeConfigs, taken);
    if (clashes.length > 0) throw new StackConfigError(env.name, clashes);
    wire('prometheus', endpoints.prometheus.http, 'scrape', 'scrapes its own metrics');
    const scrape = prometheusScrapeOf(scrapeTargets);
    const alertmanagers = alertTargets(cfg, endpoints, wire);
    return new Prometheus(scope, 'prometheus', {
      config: cfg.prometheus, common: cfg.common, clusterName: cfg.common.clusterName, image: cfg.prometheus.image, labeler,
      endpoint: endpoints.prometheus.http,
      scrapeTargets: scrape.components,
      nodeContainersTarget: scrape.nodeContainers,
      clusterTargets: scrape.cluster,
      ruleFiles: ruleFiles(),
      alertmanagers,
      // The OTLP receiver is on while a component sends metrics to it; it keeps the mapped attributes as labels.
      otlp: stackSends('metrics-otlp', cfg, endpoints) ? { promoteResourceAttributes: prometheusOtlpPromotedLabels() } : undefined,
    });
  },
  dashboards: ({ cfg, jobs, stackHealth }) => renderStackHealthDashboard({
    componentJobs: jobs.map((j) => j.job),
    retention: { prometheusTime: cfg.prometheus.retention, prometheusSize: effectiveRetentionSize(cfg.prometheus) },
  }, stackHealth),
  ruleGroups: ({ cfg, jobs }) => prometheusRules({
    alertsEnabled: cfg.alerts.enabled,
    thresholds: cfg.alerts.thresholds,
    componentJobs: jobs,
    notifiesAlertmanagers: cfg.alerts.enabled && (cfg.alerts.alertmanagers.length > 0 || stackReceives('alerts', cfg)),
  }),
  // What the Helm chart cannot express, each with the template that decides it (the pinned chart version).
  helmChartLimits: [
    {
      chart: 'prometheus', fact: 'startupProbe',
      reason: 'templates/deploy.yaml hard-codes the startup probe\'s path to `/-/healthy`; the manifests wait for `/-/ready`. The timings are the manifests\'.',
    },
  ],
  helm: prometheusHelm,
};

/** What the registry assembles from this folder. */
export const registration = {
  component: prometheus,
  config: { prometheus: configSection(prometheusSchema, PROMETHEUS_DEFAULTS, PROMETHEUS_PROFILES) },
  endpoints: PROMETHEUS_ENDPOINTS,
  names: PROMETHEUS_NAMES,
} as const;
