/**
 * The stack's two namespaces. Servers live in one labelled for the `restricted` Pod Security level;
 * the per-node agents (cAdvisor, Promtail or Alloy), which must read host paths, live in their own,
 * labelled `privileged`, so nothing else gets that latitude.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { Labeler } from '../../lib/labels';

export interface NamespacesProps {
  readonly namespace: string;
  readonly agentNamespace: string;
  readonly labeler: Labeler;
}

function podSecurity(level: 'restricted' | 'baseline' | 'privileged'): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/audit': level,
  };
}

export class Namespaces extends Chart {
  constructor(scope: Construct, id: string, props: NamespacesProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const base = props.labeler.stackLabels();
    new k8s.KubeNamespace(this, 'Main', {
      metadata: { name: props.namespace, labels: { ...base, ...podSecurity('restricted') } },
    });
    new k8s.KubeNamespace(this, 'Agents', {
      metadata: { name: props.agentNamespace, labels: { ...base, ...podSecurity('privileged') } },
    });
  }
}
