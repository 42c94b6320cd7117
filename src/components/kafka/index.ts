/** Kafka as a stack component: the example system's broker, deployed with the example services. */
import { type StackComponent, configSection } from '../component';
import { Kafka } from './kafka';
import { kafkaDeployed } from './kafka-config';
import { KAFKA_DEFAULTS, KAFKA_PROFILES, kafkaSchema } from './config';
import { KAFKA_ENDPOINTS, KAFKA_NAMES } from './endpoints';

// What the example services read of Kafka: whether it runs, and their topic.
export { kafkaDeployed, kafkaTopicSpec } from './kafka-config';

export const kafka: StackComponent = {
  id: 'kafka',
  enabled: (cfg) => kafkaDeployed(cfg),
  pods: (cfg) => cfg.kafka.pods,
  readme: { retention: (cfg) => cfg.kafka.retention, ephemeralData: (cfg) => !cfg.kafka.storage.persistent },
  build: ({ scope, cfg, labeler, endpoints }) => new Kafka(scope, 'kafka', {
    config: cfg.kafka, common: cfg.common, image: cfg.kafka.image, labeler, client: endpoints.kafka.client, controllerPort: cfg.kafka.ports.controller,
  }),
};

/** What the registry assembles from this folder. */
export const registration = {
  component: kafka,
  config: { kafka: configSection(kafkaSchema, KAFKA_DEFAULTS, KAFKA_PROFILES) },
  endpoints: KAFKA_ENDPOINTS,
  names: KAFKA_NAMES,
} as const;
