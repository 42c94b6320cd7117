/** Kafka's endpoint: the broker's client listener (`bootstrap.servers` of the example services). */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, endpoint } from '../../lib/endpoints';

export const KAFKA_NAMES = ['kafka'] as const;
export type KafkaName = (typeof KAFKA_NAMES)[number];

export type KafkaEndpoints = {
  readonly client: Endpoint;
};

export function kafkaEndpoints(cfg: StackConfig): KafkaEndpoints {
  // Kafka's binary protocol: plain TCP as far as Kubernetes is concerned.
  return { client: endpoint('kafka', cfg.common.namespace, 'kafka', cfg.kafka.ports.client, 'tcp') };
}

export const KAFKA_ENDPOINTS = { kafka: kafkaEndpoints } as const satisfies EndpointBuilders;
