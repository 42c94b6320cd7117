/**
 * The one list of the stack's components, in build order: the namespaces first, Prometheus after every
 * component it scrapes, the NetworkPolicies last (they read every wire and workload). Adding a component is
 * one folder and one line here.
 */
import type { StackComponent } from './component';
import { alertmanager } from './alertmanager';
import { alloy } from './alloy';
import { cadvisor } from './cadvisor';
import { demo } from './demo';
import { grafana } from './grafana';
import { kafka } from './kafka';
import { kubeStateMetrics } from './kube-state-metrics';
import { kubernetes } from './kubernetes';
import { loki } from './loki';
import { namespaces } from './namespaces';
import { networkPolicies } from './network-policies';
import { nodeExporter } from './node-exporter';
import { otlpGateway } from './otlp-gateway';
import { prometheus } from './prometheus';
import { promtail } from './promtail';
import { tempo } from './tempo';

export const REGISTRY: readonly StackComponent[] = [
  namespaces, cadvisor, loki, alloy, promtail, tempo, kafka, demo, grafana,
  nodeExporter, kubeStateMetrics, kubernetes, // cluster monitoring
  alertmanager, otlpGateway,
  prometheus, networkPolicies,
];
