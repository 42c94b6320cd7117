/**
 * Grafana Alloy as the log agent (`logAgent: 'alloy'`): Promtail's maintained successor, running the same
 * pipeline (rendered by `alloy-config.ts` from the shared model) with the same host access, RBAC and
 * positions persistence, as a DaemonSet in the agents namespace.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Endpoint } from '../../lib/endpoints';
import { type LogAgentProps, addLogAgent } from '../log-pipeline/agent-pod';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import { renderAlloyConfig } from './alloy-config';

export const ALLOY_IDENTITY = { name: 'alloy', component: 'log-agent' } as const;

export const ALLOY_PATHS = {
  configDir: '/etc/alloy',
  configFile: 'config.alloy',
  /** `--storage.path`: components' state, loki.source.file's positions included; a hostPath. */
  storageDir: '/var/lib/alloy/data',
} as const;

export type AlloyProps = LogAgentProps;

export function alloyScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return componentScrapeTarget(ALLOY_IDENTITY.name, 'Alloy', endpoint);
}

/** Alloy's command line (the image's entrypoint is the `alloy` binary). */
export function alloyArgs(port: number): string[] {
  return [
    'run',
    `${ALLOY_PATHS.configDir}/${ALLOY_PATHS.configFile}`,
    `--storage.path=${ALLOY_PATHS.storageDir}`,
    `--server.http.listen-addr=0.0.0.0:${port}`,
    // No usage reports leave the cluster.
    '--disable-reporting',
  ];
}

export class Alloy extends Chart {
  readonly configText: string;

  constructor(scope: Construct, id: string, props: AlloyProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.configText = renderAlloyConfig({ pipeline: props.pipeline });

    addLogAgent(this, props, {
      identity: ALLOY_IDENTITY,
      configDir: ALLOY_PATHS.configDir,
      configFile: ALLOY_PATHS.configFile,
      configText: this.configText,
      args: alloyArgs(props.endpoint.port),
      stateDir: ALLOY_PATHS.storageDir,
      readyPath: '/-/ready',
      livePath: '/-/ready',
    });
  }
}
