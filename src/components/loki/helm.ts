/**
 * Loki on the Helm path: the OSS loki chart of the grafana-community repository (the grafana repository's
 * loki chart >= 7.0.0 targets Grafana Enterprise Logs only). Values: `helm-values.ts`.
 */
import type { ConfigIssue } from '../../config/errors';
import type { StackConfig } from '../../config/types';
import { HELM_REPOSITORIES, type ChartService, type ChartServicePort, type ComponentHelm, type HelmReleases, chartFullname, dnsTrunc, onService, releasedChart } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import { LOKI_IDENTITY } from './loki';
import { LOKI_GOGC_ENV, lokiValues } from './helm-values';

export const LOKI_CHART = releasedChart({
  key: 'loki', repository: HELM_REPOSITORIES.grafanaCommunity, version: '18.11.0', appVersion: '3.7.6', sourceRepo: 'grafana-community/helm-charts',
});

/** templates/_service.tpl: grpclb is always 9096. */
const GRPCLB_PORT = 9096;

/**
 * templates/_pod.tpl (containerPort `http-memberlist`) and templates/service-memberlist.yaml (port `tcp`):
 * memberlist is always 7946, so `memberlist.bind_port` in the config must be 7946.
 */
const MEMBERLIST_PORT = 7946;

/** The ports of every Service `templates/_service.tpl` (`loki.service`) creates, plain and headless alike. */
function targetPorts(cfg: StackConfig): ChartServicePort[] {
  return [
    { name: 'http-metrics', port: cfg.loki.ports.http },
    { name: 'grpc', port: cfg.loki.ports.grpc },
    { name: 'grpclb', port: GRPCLB_PORT },
  ];
}

/** The Services of the loki chart in SimpleScalable mode. */
export interface LokiScalableServices {
  readonly write: ChartService;
  readonly read: ChartService;
  readonly backend: ChartService;
  readonly backendHeadless: ChartService;
  readonly memberlist: ChartService;
}

/**
 * The loki chart's SimpleScalable Services (templates/{write,read,backend}/service.yaml via
 * templates/_service.tpl `loki.service`): `loki.resourceName` = `<fullname>-<target>`, plus a
 * `<fullname>-<target>-headless` twin of each; every one carries http-metrics, grpc and grpclb. The
 * memberlist Service (templates/service-memberlist.yaml, `loki.memberlist`) is `<fullname>-memberlist`,
 * headless, port `tcp` 7946, selecting every pod labelled `app.kubernetes.io/part-of: memberlist` (all
 * three targets). The chart also runs `-memberlist.advertise-addr=$(POD_IP)` itself.
 */
export function lokiScalableServices(cfg: StackConfig, releases: HelmReleases): LokiScalableServices {
  const ns = cfg.common.namespace;
  const full = chartFullname(LOKI_CHART.chart, releases.loki);
  const target = (t: string, suffix = ''): ChartService => ({
    chart: 'loki',
    name: dnsTrunc(`${full}-${t}${suffix}`),
    namespace: ns,
    ports: targetPorts(cfg),
    source: `templates/${t}/service.yaml, templates/_service.tpl (loki.resourceName${suffix ? ', suffix headless' : ''})`,
  });
  return {
    write: target('write'),
    read: target('read'),
    backend: target('backend'),
    backendHeadless: target('backend', '-headless'),
    memberlist: {
      chart: 'loki',
      name: dnsTrunc(`${full}-memberlist`),
      namespace: ns,
      ports: [{ name: 'tcp', port: MEMBERLIST_PORT }],
      source: 'templates/service-memberlist.yaml, templates/_helpers.tpl (loki.memberlist)',
    },
  };
}

function problems(cfg: StackConfig): ConfigIssue[] {
  if (!cfg.loki.enabled || cfg.loki.mode !== 'simple-scalable' || cfg.loki.ports.memberlist === MEMBERLIST_PORT) return [];
  return [{
    path: 'loki.ports.memberlist', value: cfg.loki.ports.memberlist, message: `is hard-coded to ${MEMBERLIST_PORT} by the loki chart ${LOKI_CHART.version}`,
    fix: `set it to ${MEMBERLIST_PORT} or use the manifests path`,
  }];
}

export const lokiHelm: ComponentHelm<'loki'> = {
  release: {
    chart: LOKI_CHART,
    installed: (cfg) => cfg.loki.enabled,
    values: ({ build, cfg, endpoints, releases }) => lokiValues({
      cfg, endpoints, release: releases.loki,
      pods: (name) => manifestsPod(build, cfg.loki.mode === 'simple-scalable' && name === `${LOKI_IDENTITY.name}-read` ? 'Deployment' : 'StatefulSet', name),
    }),
  },
  // templates/_helpers.tpl `loki.selectorLabels` plus the component (`single-binary` or the target); port `http-metrics`.
  pod: { appName: 'loki', metricsPortName: 'http-metrics', metricsPath: '/metrics' },
  // Monolithic: the single-binary Service; simple-scalable: the read Service (the query entry point) first, then the others.
  services: (cfg, releases) => {
    if (cfg.loki.mode !== 'simple-scalable') {
      return [{
        chart: 'loki',
        name: chartFullname(LOKI_CHART.chart, releases.loki),
        namespace: cfg.common.namespace,
        ports: targetPorts(cfg),
        source: 'templates/monolithic/service.yaml, templates/_service.tpl (ports: loki.server.http_listen_port, grpc_listen_port)',
      }];
    }
    const s = lokiScalableServices(cfg, releases);
    return [s.read, s.write, s.backend, s.backendHeadless, s.memberlist];
  },
  // On the single-binary Service, or the SimpleScalable targets'.
  endpoints: (cfg, base, releases) => {
    const main = lokiHelm.services(cfg, releases)[0];
    const http = onService(base.loki.http, main, 'http-metrics');
    const grpc = onService(base.loki.grpc, main, 'grpc');
    const b = base.loki.scalable;
    if (b === undefined) return { loki: { http, grpc } };
    const s = lokiScalableServices(cfg, releases);
    return {
      loki: {
        http,
        grpc,
        scalable: {
          push: onService(b.push, s.write, 'http-metrics'),
          query: http,
          writeGrpc: onService(b.writeGrpc, s.write, 'grpc'),
          backendHttp: onService(b.backendHttp, s.backend, 'http-metrics'),
          backendGrpc: onService(b.backendGrpc, s.backend, 'grpc'),
          backendHeadlessGrpc: onService(b.backendHeadlessGrpc, s.backendHeadless, 'grpc'),
          memberlist: onService(b.memberlist, s.memberlist, 'tcp'),
        },
      },
    };
  },
  problems,
  readme: {
    notes: ({ cfg }) => (cfg.loki.mode === 'simple-scalable' ? [
      'Loki runs SimpleScalable: log agents push to the write Service, Grafana queries the read Service (no gateway).',
      '',
    ] : []),
    withoutUi: 'Loki',
    // The chart would add `GOGC=80`; the values name Go's default instead, and the section says why `GOGC` is there.
    sections: () => [
      '## Go runtime settings',
      '',
      `The loki chart adds \`GOGC=80\` to Loki's containers unless their env names \`GOGC\`; the loki values name \`${LOKI_GOGC_ENV.name}=${LOKI_GOGC_ENV.value}\``,
      '(Go\'s default, which the manifests leave in place) in every Loki target\'s `extraEnv`, so the chart adds none.',
      '',
    ],
  },
};
