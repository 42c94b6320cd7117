/** Kafka as a stack component: the example system's broker, deployed with the example services. */
import type { StackComponent } from '../component';
import { Kafka } from './kafka';
import { kafkaDeployed } from './kafka-config';

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
