/**
 * The example services as a stack component: a frontend calling a backend and publishing one event per order
 * to Kafka, a worker consuming it, all traced, driven by a traffic generator.
 */
import { parseQuantity } from '../../config/units';
import { type StackComponent, configSection } from '../component';
import { demoReadme } from './readme';
import { kafkaDeployed, kafkaTopicSpec } from '../kafka';
import { Demo, type DemoKafka } from './demo';
import { DEMO_DEFAULTS, DEMO_PROFILES, demoNeeds, demoSchema } from './config';
import { DEMO_ENDPOINTS, DEMO_NAMES } from './endpoints';
import { stackReceiver } from '../../lib/receivers';

export const demo: StackComponent = {
  id: 'demo',
  enabled: (cfg) => cfg.demo.enabled,
  pods: (cfg) => cfg.demo.pods,
  // The traffic generator only calls the frontend: no endpoint gives its namespace.
  networkPolicy: (cfg) => ({ clientNamespaces: { 'demo-traffic': cfg.common.namespace } }),
  readme: demoReadme,
  sends: (cfg) => [cfg.demo.otlp === 'all' ? 'otlp-http' : 'traces-otlp-http'],
  build: ({ scope, cfg, labeler, endpoints, wire, scrape }) => {
    const { demoFrontend: frontend, demoBackend: backend, demoWorker: worker } = endpoints;
    wire('demo-traffic', frontend.http, 'http', 'sends steady traffic');
    wire('demo-frontend', backend.http, 'http', 'calls the backend (W3C trace context)');
    // `demo.otlp: 'all'`: every signal over OTLP/HTTP to the component that receives them all and forwards
    // each to its store, nothing scraped; else traces to the traces store's OTLP/HTTP receiver (`demoNeeds`
    // refuses a config without the one it needs).
    const all = cfg.demo.otlp === 'all';
    const target = stackReceiver(all ? 'otlp-http' : 'traces-otlp-http', cfg, endpoints)?.endpoint;
    if (target === undefined) throw new Error(`internal: the demo sends ${all ? 'every signal' : 'traces'} over OTLP/HTTP, but no enabled component receives them`);
    const sends = all ? 'sends traces, metrics and logs (OTLP/HTTP)' : 'sends traces (OTLP/HTTP)';
    const otlp = wire('demo-frontend', target, 'otlp', sends);
    wire('demo-backend', target, 'otlp', sends);
    if (!all) {
      // Scraped through their pod annotations (the annotated-pods job), not a component job.
      scrape(frontend.http, 'scrapes the annotated demo-frontend pods');
      scrape(backend.http, 'scrapes the annotated demo-backend pods');
    }
    // The Kafka hop: the frontend publishes one event per order, the worker consumes it.
    let kafka: DemoKafka | undefined;
    if (kafkaDeployed(cfg)) {
      kafka = {
        bootstrap: wire('demo-frontend', endpoints.kafka.client, 'kafka', 'publishes order events (W3C trace context in the headers)'),
        topic: kafkaTopicSpec(cfg.kafka, parseQuantity(cfg.kafka.storage.size) ?? 0),
      };
      wire('demo-worker', endpoints.kafka.client, 'kafka', 'consumes order events (consumer group demo-worker)');
      wire('demo-worker', target, 'otlp', sends);
      if (!all) scrape(worker.http, 'scrapes the annotated demo-worker pods');
    }
    return new Demo(scope, 'demo', {
      config: cfg.demo, common: cfg.common, image: cfg.demo.image, labeler, frontend: frontend.http, backend: backend.http, worker: worker.http,
      otlpEndpoint: otlp.url, otlpAll: all, kafka,
    });
  },
};

/** What the registry assembles from this folder. */
export const registration = {
  component: demo,
  config: { demo: configSection(demoSchema, DEMO_DEFAULTS, DEMO_PROFILES) },
  checks: [demoNeeds],
  endpoints: DEMO_ENDPOINTS,
  names: DEMO_NAMES,
} as const;
