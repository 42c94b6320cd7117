/**
 * Persistent volumes: how full each claim is (the kubelet's volume stats, for volumes whose plugin reports
 * usage: CSI drivers and local volumes do, hostPath volumes such as kind's default provisioner's do not),
 * and claims and volumes by phase with their class and requested size (kube-state-metrics).
 */
import { baseDashboard, dashboard, finalize, prom, promVariable, timeseriesPanel } from '../../../lib/dashboards';
import type { MetricSource } from '../../../lib/metric-source';
import { CLUSTER_DASHBOARD_UIDS, DASHED, type ClusterDashboard, clusterLinks, clusterVariable, hasAll, instantTable, sel } from './common';

export function volumesDashboard(sources: ReadonlySet<MetricSource>, rendered: readonly ClusterDashboard[]): dashboard.Dashboard {
  const ksm = hasAll(sources, 'kube-state-metrics');
  const kubelet = hasAll(sources, 'kubelet');
  const ns = 'namespace=~"$namespace"';
  const claims = sel(ns, 'persistentvolumeclaim=~"$pvc"');
  // A volume mounted on several nodes is reported by each kubelet: one value per claim.
  const perClaim = (expr: string) => `max by (namespace, persistentvolumeclaim) (${expr})`;
  const listed = ksm ? 'kube_persistentvolumeclaim_info' : 'kubelet_volume_stats_capacity_bytes';
  const b = baseDashboard('Persistent volumes', CLUSTER_DASHBOARD_UIDS.volumes,
    'Usage of each claim (kubelet volume stats, where the storage plugin reports them) and claims and volumes by phase (kube-state-metrics).')
    .withVariable(clusterVariable())
    .withVariable(promVariable('namespace', 'Namespace', `label_values(${listed}${sel()}, namespace)`, { includeAll: true }))
    .withVariable(promVariable('pvc', 'Claim', `label_values(${listed}${sel(ns)}, persistentvolumeclaim)`, { includeAll: true, multi: true }));
  clusterLinks(b, 'volumes', rendered);

  if (kubelet) {
    b.withRow(new dashboard.RowBuilder('Usage'));
    b.withPanel(timeseriesPanel('Space used', 'Share of each claim\'s volume used.', 'percentunit', 12)
      .withTarget(prom(perClaim(`1 - kubelet_volume_stats_available_bytes${claims} / kubelet_volume_stats_capacity_bytes${claims}`), '{{namespace}}/{{persistentvolumeclaim}}'))
      .min(0).max(1));
    b.withPanel(timeseriesPanel('Bytes used against capacity', 'Bytes used on each volume; dashed: its capacity.', 'bytes', 12)
      .withTarget(prom(perClaim(`kubelet_volume_stats_used_bytes${claims}`), '{{namespace}}/{{persistentvolumeclaim}}'))
      .withTarget(prom(perClaim(`kubelet_volume_stats_capacity_bytes${claims}`), 'capacity {{namespace}}/{{persistentvolumeclaim}}'))
      .overrideByRegexp('^capacity .*', DASHED).min(0));
    b.withPanel(timeseriesPanel('Inodes used', 'Share of each volume\'s inodes used: many small files can fill a volume that has bytes left.', 'percentunit', 12)
      .withTarget(prom(perClaim(`kubelet_volume_stats_inodes_used${claims} / kubelet_volume_stats_inodes${claims}`), '{{namespace}}/{{persistentvolumeclaim}}'))
      .min(0).max(1));
  }
  if (ksm) {
    b.withRow(new dashboard.RowBuilder('Claims and volumes'));
    b.withPanel(instantTable('Claims', 'Each claim with its StorageClass, volume, phase and requested size.', { 'Value #C': 'requested' }, 12, 8)
      .withTarget(prom(`max by (namespace, persistentvolumeclaim, storageclass, volumename) (kube_persistentvolumeclaim_info${claims})`, '', { instant: true }))
      .withTarget(prom(`max by (namespace, persistentvolumeclaim, phase) (kube_persistentvolumeclaim_status_phase${claims} == 1)`, '', { instant: true }))
      .withTarget(prom(`max by (namespace, persistentvolumeclaim) (kube_persistentvolumeclaim_resource_requests_storage_bytes${claims})`, '', { instant: true }))
      .withTransformation({ id: 'organize', options: { excludeByName: { 'Value #A': true, 'Value #B': true } } })
      .overrideByName('requested', [{ id: 'unit', value: 'bytes' }]));
    b.withPanel(timeseriesPanel('Claims by phase', 'Claims of the namespace that are Bound, Pending or Lost.', 'short', 6)
      .withTarget(prom(`sum by (phase) (kube_persistentvolumeclaim_status_phase${sel(ns)})`, '{{phase}}')).min(0));
    b.withPanel(timeseriesPanel('Volumes by phase', 'PersistentVolumes of the cluster by phase (Available, Bound, Released, Failed).', 'short', 6)
      .withTarget(prom(`sum by (phase) (kube_persistentvolume_status_phase${sel()})`, '{{phase}}'))
      .withTarget(prom(`sum(kube_persistentvolume_capacity_bytes${sel()})`, 'capacity of all volumes'))
      .overrideByName('capacity of all volumes', [{ id: 'unit', value: 'bytes' }, { id: 'custom.axisPlacement', value: 'right' }]).min(0));
  }
  return finalize(b.build());
}
