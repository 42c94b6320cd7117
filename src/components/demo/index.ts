/** The example services as a stack component: a frontend calling a backend, both traced, driven by a traffic generator. */
import type { StackComponent } from '../component';
import { Demo } from './demo';

export const demo: StackComponent = {
  id: 'demo',
  enabled: (cfg) => cfg.demo.enabled,
  build: ({ app, cfg, labeler, endpoints, wire }) => {
    const { demoFrontend: frontend, demoBackend: backend } = endpoints;
    wire('demo-traffic', frontend.http, 'http', 'sends steady traffic');
    wire('demo-frontend', backend.http, 'http', 'calls the backend (W3C trace context)');
    // `demo.otlp: 'all'` (#19): every signal over OTLP to the gateway, nothing scraped.
    const all = cfg.demo.otlp === 'all';
    const target = all ? endpoints.otlpGateway.http : endpoints.tempo.otlpHttp;
    const what = all ? 'sends traces, metrics and logs (OTLP/HTTP)' : 'sends traces (OTLP/HTTP)';
    const otlp = wire('demo-frontend', target, 'otlp', what);
    wire('demo-backend', target, 'otlp', what);
    if (!all) {
      // Scraped through their pod annotations (the annotated-pods job), not a component job.
      wire('prometheus', frontend.http, 'scrape', 'scrapes the annotated demo-frontend pods');
      wire('prometheus', backend.http, 'scrape', 'scrapes the annotated demo-backend pods');
    }
    return new Demo(app, 'demo', {
      config: cfg.demo, common: cfg.common, image: cfg.images.demo, labeler, frontend: frontend.http, backend: backend.http,
      otlpEndpoint: otlp.url, otlpAll: all,
    });
  },
};
