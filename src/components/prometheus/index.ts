/** Prometheus as a stack component: scrapes every collected target, evaluates the stack's rules. */
import type { StackComponent } from '../component';
import { ruleFilesFor } from '../alerts';
import { prometheusScrapeOf, stackJobs } from './jobs';
import { Prometheus } from './prometheus';

export const prometheus: StackComponent = {
  id: 'prometheus',
  enabled: () => true,
  build: ({ scope, cfg, labeler, endpoints, wire, scrapeTargets }) => {
    wire('prometheus', endpoints.prometheus.http, 'scrape', 'scrapes its own metrics');
    const scrape = prometheusScrapeOf(scrapeTargets);
    return new Prometheus(scope, 'prometheus', {
      config: cfg.prometheus, common: cfg.common, clusterName: cfg.common.clusterName, image: cfg.prometheus.image, labeler,
      endpoint: endpoints.prometheus.http,
      scrapeTargets: scrape.components,
      cadvisorTarget: scrape.cadvisor,
      clusterTargets: scrape.cluster,
      ruleFiles: ruleFilesFor(cfg, stackJobs(scrapeTargets)),
      alertmanagers: cfg.alerts.enabled ? cfg.alerts.alertmanagers : [],
    });
  },
};
