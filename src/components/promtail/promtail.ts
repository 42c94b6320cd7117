/**
 * Promtail: the log agent the design started with. End of life since 2026-03-02 (3.6.x is the last
 * line); Grafana Alloy (`logAgent: 'alloy'`) is the maintained successor and renders the same pipeline.
 * A DaemonSet in the agents namespace tails `/var/log/pods` on its own node and pushes to the log store.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Endpoint } from '../../lib/endpoints';
import { toYaml } from '../../lib/yaml';
import { type LogAgentProps, addLogAgent } from '../log-pipeline/agent-pod';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import { renderPromtailConfig } from './promtail-config';

export const PROMTAIL_IDENTITY = { name: 'promtail', component: 'log-agent' } as const;

export const PROMTAIL_PATHS = {
  configDir: '/etc/promtail',
  configFile: 'promtail.yaml',
  /** Mount of the hostPath that keeps the positions file across restarts. */
  stateDir: '/var/lib/promtail',
  positionsFile: 'positions.yaml',
} as const;

export type PromtailProps = LogAgentProps;

export function promtailScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return componentScrapeTarget(PROMTAIL_IDENTITY.name, 'Promtail', endpoint);
}

export class Promtail extends Chart {
  readonly configYaml: string;

  constructor(scope: Construct, id: string, props: PromtailProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.configYaml = toYaml(renderPromtailConfig({
      pipeline: props.pipeline,
      httpPort: props.endpoint.port,
      positionsFile: `${PROMTAIL_PATHS.stateDir}/${PROMTAIL_PATHS.positionsFile}`,
    }));

    addLogAgent(this, props, {
      identity: PROMTAIL_IDENTITY,
      configDir: PROMTAIL_PATHS.configDir,
      configFile: PROMTAIL_PATHS.configFile,
      configText: this.configYaml,
      args: [
        `-config.file=${PROMTAIL_PATHS.configDir}/${PROMTAIL_PATHS.configFile}`,
        // Expands ${HOSTNAME} in the discovery selector; literal "$" and "\" are escaped by the renderer.
        '-config.expand-env=true',
      ],
      stateDir: PROMTAIL_PATHS.stateDir,
      readyPath: '/ready',
      livePath: '/metrics',
    });
  }
}
