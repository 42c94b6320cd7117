/**
 * kube-state-metrics' metrics that dashboards and rules read (job kube-state-metrics), named and labelled as
 * kube-state-metrics v2.20.0 defines them (internal/store/*.go).
 */
import { type MetricSourceSpec, metric } from '../../lib/metric-source';

const POD = ['namespace', 'pod', 'uid'];
const POD_CONTAINER = [...POD, 'container'];
const PVC = ['namespace', 'persistentvolumeclaim'];

/** The series carry their own namespace and pod: the job adds no label. */
export const KUBE_STATE_METRICS_METRICS: MetricSourceSpec = {
  source: 'kube-state-metrics',
  targetLabels: [],
  metrics: [
    metric('gauge', 'kube_node_info', 'one per node, with versions', ['node', 'kernel_version', 'os_image', 'container_runtime_version', 'kubelet_version', 'kubeproxy_version', 'provider_id', 'pod_cidr', 'system_uuid', 'internal_ip']),
    metric('gauge', 'kube_node_status_condition', '1 for the status a node condition has', ['node', 'condition', 'status']),
    metric('gauge', 'kube_node_status_allocatable', 'allocatable resources', ['node', 'resource', 'unit']),
    metric('gauge', 'kube_node_spec_taint', 'taints of a node', ['node', 'key', 'value', 'effect']),
    metric('gauge', 'kube_node_spec_unschedulable', '1 when a node is cordoned', ['node']),
    metric('gauge', 'kube_pod_info', 'one per pod, with its node', [...POD, 'host_ip', 'pod_ip', 'node', 'created_by_kind', 'created_by_name', 'priority_class', 'host_network']),
    metric('gauge', 'kube_pod_owner', 'the controller owning a pod', [...POD, 'owner_kind', 'owner_name', 'owner_is_controller']),
    metric('gauge', 'kube_pod_labels', 'pod labels in --metric-labels-allowlist', [...POD, 'label_app_kubernetes_io_name', 'label_app']),
    metric('gauge', 'kube_pod_status_phase', '1 for the phase a pod is in', [...POD, 'phase']),
    metric('gauge', 'kube_pod_status_ready', '1 for the status of the Ready condition', [...POD, 'condition']),
    metric('gauge', 'kube_pod_container_status_waiting_reason', '1 while a container waits, by reason', [...POD_CONTAINER, 'reason']),
    metric('counter', 'kube_pod_container_status_restarts_total', 'container restarts', POD_CONTAINER),
    metric('gauge', 'kube_pod_container_resource_requests', 'requested resources', [...POD_CONTAINER, 'node', 'resource', 'unit']),
    metric('gauge', 'kube_pod_container_resource_limits', 'resource limits', [...POD_CONTAINER, 'node', 'resource', 'unit']),
    metric('gauge', 'kube_replicaset_owner', 'the Deployment owning a ReplicaSet', ['namespace', 'replicaset', 'owner_kind', 'owner_name', 'owner_is_controller']),
    metric('gauge', 'kube_deployment_spec_replicas', 'desired replicas', ['namespace', 'deployment']),
    metric('gauge', 'kube_deployment_status_replicas_available', 'available replicas', ['namespace', 'deployment']),
    metric('gauge', 'kube_deployment_status_replicas_updated', 'replicas of the current template', ['namespace', 'deployment']),
    metric('gauge', 'kube_statefulset_replicas', 'desired replicas', ['namespace', 'statefulset']),
    metric('gauge', 'kube_statefulset_status_replicas_ready', 'ready replicas', ['namespace', 'statefulset']),
    metric('gauge', 'kube_statefulset_status_replicas_updated', 'replicas of the update revision', ['namespace', 'statefulset']),
    metric('gauge', 'kube_daemonset_status_desired_number_scheduled', 'nodes that should run the pod', ['namespace', 'daemonset']),
    metric('gauge', 'kube_daemonset_status_current_number_scheduled', 'nodes running the pod', ['namespace', 'daemonset']),
    metric('gauge', 'kube_daemonset_status_number_available', 'nodes with an available pod', ['namespace', 'daemonset']),
    metric('gauge', 'kube_daemonset_status_number_misscheduled', 'nodes running the pod that should not', ['namespace', 'daemonset']),
    metric('gauge', 'kube_daemonset_status_updated_number_scheduled', 'nodes running the current template', ['namespace', 'daemonset']),
    metric('gauge', 'kube_job_failed', '1 for the status of the Failed condition', ['namespace', 'job_name', 'condition']),
    metric('gauge', 'kube_persistentvolumeclaim_info', 'one per claim, with class and volume', [...PVC, 'storageclass', 'volumename', 'volumemode']),
    metric('gauge', 'kube_persistentvolumeclaim_status_phase', '1 for the phase a claim is in', [...PVC, 'phase']),
    metric('gauge', 'kube_persistentvolumeclaim_resource_requests_storage_bytes', 'requested storage', PVC),
    metric('gauge', 'kube_persistentvolumeclaim_access_mode', 'access modes of a claim', [...PVC, 'access_mode']),
    metric('gauge', 'kube_persistentvolume_status_phase', '1 for the phase a volume is in', ['persistentvolume', 'phase']),
    metric('gauge', 'kube_persistentvolume_capacity_bytes', 'volume capacity', ['persistentvolume']),
  ],
};
