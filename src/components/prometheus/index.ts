/** Prometheus as a stack component: scrapes every collected target, evaluates the stack's rules. */
import { prometheusOtlpPromotedLabels } from '../../lib/otlp';
import type { StackComponent } from '../component';
import { ruleFilesFor } from '../alerts';
import { alertmanagerDeployed, inStackAlertmanagers } from '../alertmanager';
import { otlpGatewayDeployed } from '../otlp-gateway';
import { prometheusScrapeOf, stackJobs } from './jobs';
import { Prometheus } from './prometheus';

export const prometheus: StackComponent = {
  id: 'prometheus',
  enabled: () => true,
  build: ({ scope, cfg, labeler, endpoints, wire, scrapeTargets }) => {
    wire('prometheus', endpoints.prometheus.http, 'scrape', 'scrapes its own metrics');
    const scrape = prometheusScrapeOf(scrapeTargets);
    // The in-stack Alertmanager's replicas, each by its pod name (they deduplicate among themselves).
    const inStack = alertmanagerDeployed(cfg)
      ? inStackAlertmanagers(wire('prometheus', endpoints.alertmanager.peers, 'http', 'sends firing alerts to every replica'), cfg.alertmanager.replicas)
      : [];
    return new Prometheus(scope, 'prometheus', {
      config: cfg.prometheus, common: cfg.common, clusterName: cfg.common.clusterName, image: cfg.prometheus.image, labeler,
      endpoint: endpoints.prometheus.http,
      scrapeTargets: scrape.components,
      cadvisorTarget: scrape.cadvisor,
      clusterTargets: scrape.cluster,
      ruleFiles: ruleFilesFor(cfg, stackJobs(scrapeTargets)),
      alertmanagers: [...inStack, ...(cfg.alerts.enabled ? cfg.alerts.alertmanagers : [])],
      // The OTLP gateway forwards metrics to the OTLP receiver, which keeps the mapped attributes as labels.
      otlp: otlpGatewayDeployed(cfg) ? { promoteResourceAttributes: prometheusOtlpPromotedLabels() } : undefined,
    });
  },
};
