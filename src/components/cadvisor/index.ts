/** cAdvisor as a stack component: a DaemonSet in the agents namespace whose target reports its node's containers. */
import type { StackComponent } from '../component';
import { Cadvisor, cadvisorScrapeTarget } from './cadvisor';

export const cadvisor: StackComponent = {
  id: 'cadvisor',
  enabled: (cfg) => cfg.cadvisor.enabled,
  pods: (cfg) => cfg.cadvisor.pods,
  scrapeTargets: ({ endpoints }, scrape) => [cadvisorScrapeTarget(scrape(endpoints.cadvisor.http))],
  build: ({ scope, cfg, labeler, endpoints }) => new Cadvisor(scope, 'cadvisor', {
    config: cfg.cadvisor, common: cfg.common, image: cfg.cadvisor.image, labeler, endpoint: endpoints.cadvisor.http,
  }),
};
