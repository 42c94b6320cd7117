/** The series the cluster rules record (`rules.ts`), for the catalog and the dashboards that read them. */
import { type MetricSourceSpec, recorded } from '../../lib/metric-source';

/** Recorded series of the cluster rules (`rules.ts`), named as the kubernetes-mixin names them. */
export const CLUSTER_RECORDED = {
  containerCpu: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m',
  containerMemory: 'node_namespace_pod_container:container_memory_working_set_bytes',
  workloadPod: 'namespace_workload_pod:kube_pod_owner:relabel',
  namespaceCpuRequests: 'namespace_cpu:kube_pod_container_resource_requests:sum',
  namespaceMemoryRequests: 'namespace_memory:kube_pod_container_resource_requests:sum',
  nodeCpuUtilisation: 'instance:node_cpu_utilisation:rate5m',
  nodeMemoryUtilisation: 'instance:node_memory_utilisation:ratio',
} as const;

/** The cluster rules' recorded series, each with the sources it reads. */
export const CLUSTER_RECORDING_RULES: MetricSourceSpec = {
  source: 'recording-rule',
  metrics: [
    recorded(CLUSTER_RECORDED.containerCpu, 'CPU cores per container (5m rate)', ['node', 'namespace', 'pod', 'container'], ['kubelet-cadvisor']),
    recorded(CLUSTER_RECORDED.containerMemory, 'working set per container', ['node', 'namespace', 'pod', 'container'], ['kubelet-cadvisor']),
    recorded(CLUSTER_RECORDED.workloadPod, 'the workload (Deployment, StatefulSet, DaemonSet, Job) of each pod', ['namespace', 'workload', 'workload_type', 'pod'], ['kube-state-metrics']),
    recorded(CLUSTER_RECORDED.namespaceCpuRequests, 'CPU requested by pending and running pods, per namespace', ['namespace'], ['kube-state-metrics']),
    recorded(CLUSTER_RECORDED.namespaceMemoryRequests, 'memory requested by pending and running pods, per namespace', ['namespace'], ['kube-state-metrics']),
    recorded(CLUSTER_RECORDED.nodeCpuUtilisation, 'share of CPU time not idle, per node', ['node'], ['node-exporter']),
    recorded(CLUSTER_RECORDED.nodeMemoryUtilisation, 'share of memory not available, per node', ['node'], ['node-exporter']),
  ],
};
