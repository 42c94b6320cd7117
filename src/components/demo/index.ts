/** The example services as a stack component: a frontend calling a backend, both traced, driven by a traffic generator. */
import type { StackComponent } from '../component';
import { Demo } from './demo';

export const demo: StackComponent = {
  id: 'demo',
  enabled: (cfg) => cfg.demo.enabled,
  build: ({ scope, cfg, labeler, endpoints, wire }) => {
    const { demoFrontend: frontend, demoBackend: backend } = endpoints;
    wire('demo-traffic', frontend.http, 'http', 'sends steady traffic');
    wire('demo-frontend', backend.http, 'http', 'calls the backend (W3C trace context)');
    const otlp = wire('demo-frontend', endpoints.tempo.otlpHttp, 'otlp', 'sends traces (OTLP/HTTP)');
    wire('demo-backend', endpoints.tempo.otlpHttp, 'otlp', 'sends traces (OTLP/HTTP)');
    // Scraped through their pod annotations (the annotated-pods job), not a component job.
    wire('prometheus', frontend.http, 'scrape', 'scrapes the annotated demo-frontend pods');
    wire('prometheus', backend.http, 'scrape', 'scrapes the annotated demo-backend pods');
    return new Demo(scope, 'demo', {
      config: cfg.demo, common: cfg.common, image: cfg.demo.image, labeler, frontend: frontend.http, backend: backend.http,
      otlpEndpoint: otlp.url,
    });
  },
};
