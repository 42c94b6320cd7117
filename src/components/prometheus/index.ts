/** Prometheus as a stack component: scrapes every collected target, evaluates the stack's rules. */
import type { StackComponent } from '../component';
import { ruleFilesFor } from '../alerts';
import { prometheusScrapeOf, stackJobs } from './jobs';
import { Prometheus } from './prometheus';
// --- alerting and OTLP gateway (#19) ---
import { alertmanagerRuleFiles, inStackAlertmanagers } from '../alertmanager';
import { otlpGatewayEnabled } from '../otlp-gateway';
import { prometheusOtlpPromotedLabels } from '../../lib/otlp';

export const prometheus: StackComponent = {
  id: 'prometheus',
  enabled: () => true,
  build: ({ app, cfg, labeler, endpoints, wire, scrapeTargets }) => {
    wire('prometheus', endpoints.prometheus.http, 'scrape', 'scrapes its own metrics');
    return new Prometheus(app, 'prometheus', {
      config: cfg.prometheus, common: cfg.common, clusterName: cfg.common.clusterName, image: cfg.images.prometheus, labeler,
      endpoint: endpoints.prometheus.http,
      scrapeTargets: prometheusScrapeOf(scrapeTargets).components,
      cadvisorTarget: prometheusScrapeOf(scrapeTargets).cadvisor,
      ruleFiles: { ...ruleFilesFor(cfg, stackJobs(scrapeTargets)), ...alertmanagerRuleFiles(cfg) },
      // The in-stack Alertmanager's replicas first, then the ones the user runs elsewhere (#19).
      alertmanagers: [...inStackAlertmanagers(cfg, endpoints, wire), ...(cfg.alerts.enabled ? cfg.alerts.alertmanagers : [])],
      otlp: otlpGatewayEnabled(cfg) ? { promoteResourceAttributes: prometheusOtlpPromotedLabels() } : undefined,
    });
  },
};
