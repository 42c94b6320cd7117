import { load } from 'js-yaml';
import { METRICS_PORT_NAME } from '../../../src/lib/endpoints';
import { PROMETHEUS_API_PATHS } from '../../../src/components/prometheus/endpoints';
import { otlpGrpcEndpoint, otlpHttpEndpoint } from '../../../src/components/tempo/endpoints';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../../src/lib/kube';
import { TEMPO_METRICS, TEMPO_PROCESSORS } from '../../../src/components/tempo/tempo-config';
import type { ProfileName, StackOverrides } from '../../../src/config/types';
import type { StackBuild } from '../../../src/stack';
import { errorOf } from '../../support/config-errors';
import { buildEnv, configMapYaml, find, objectsOf, type KubeObject } from '../../support/synth';

const PROFILES: ProfileName[] = ['dev', 'prod'];

function tempoObjects(build: StackBuild): KubeObject[] {
  const chart = build.charts.find((c) => c.node.id === 'tempo');
  if (!chart) throw new Error('no tempo chart');
  return chart.toJson() as KubeObject[];
}

function tempoConfig(build: StackBuild): any {
  return configMapYaml(tempoObjects(build), 'tempo', 'tempo.yaml', build.env.config.common.namespace);
}

function tempoContainer(build: StackBuild) {
  return find(tempoObjects(build), 'StatefulSet', 'tempo').spec.template.spec.containers[0];
}

describe('metrics-generator remote write', () => {
  it.each(PROFILES)('%s: the remote-write URL resolves to the Prometheus Service and its port', (profile) => {
    const build = buildEnv(profile);
    const objects = objectsOf(build);
    const [rw] = tempoConfig(build).metrics_generator.storage.remote_write;
    const url = new URL(rw.url);
    expect(url.protocol).toBe('http:');
    expect(url.pathname).toBe(PROMETHEUS_API_PATHS.remoteWrite);

    const [svcName, ns, svc] = url.hostname.split('.');
    expect(svc).toBe('svc');
    const service = find(objects, 'Service', svcName, ns);
    expect(service.metadata.labels?.['app.kubernetes.io/name']).toBe('prometheus');
    const port = service.spec.ports.find((p: { port: number }) => p.port === Number(url.port));
    expect(port).toBeDefined();

    // The Service port leads to the Prometheus container's listening port.
    const sts = find(objects, 'StatefulSet', 'prometheus', ns);
    const container = sts.spec.template.spec.containers[0];
    const cPort = container.ports.find((p: { name: string }) => p.name === port.targetPort);
    expect(cPort.containerPort).toBe(Number(url.port));
    expect(container.args).toContain(`--web.listen-address=:${url.port}`);
  });

  it('follows a changed Prometheus port', () => {
    const build = buildEnv('dev', { prometheus: { ports: { http: 9191 } } });
    expect(tempoConfig(build).metrics_generator.storage.remote_write[0].url)
      .toBe('http://prometheus.observability.svc:9191/api/v1/write');
  });

  it.each(PROFILES)('%s: Prometheus accepts remote write and stores exemplars', (profile) => {
    const objects = objectsOf(buildEnv(profile));
    const args: string[] = find(objects, 'StatefulSet', 'prometheus').spec.template.spec.containers[0].args;
    expect(args).toContain('--web.enable-remote-write-receiver');
    const features = args.filter((a) => a.startsWith('--enable-feature=')).flatMap((a) => a.slice('--enable-feature='.length).split(','));
    expect(features).toContain('exemplar-storage');
  });

  it.each(PROFILES)('%s: sends exemplars and labels every series with the cluster', (profile) => {
    const build = buildEnv(profile);
    const gen = tempoConfig(build).metrics_generator;
    expect(gen.storage.remote_write).toHaveLength(1);
    expect(gen.storage.remote_write[0].send_exemplars).toBe(true);
    expect(gen.registry.external_labels).toEqual({ cluster: build.env.config.common.clusterName });
  });

  it.each(PROFILES)('%s: enables service-graphs, span-metrics and local-blocks in the per-tenant defaults', (profile) => {
    const cfg = tempoConfig(buildEnv(profile));
    expect([...cfg.overrides.defaults.metrics_generator.processors].sort()).toEqual(['local-blocks', 'service-graphs', 'span-metrics']);
    // local-blocks needs its own storage path; the generator's WAL needs one too.
    expect(cfg.metrics_generator.traces_storage.path).toMatch(/^\/var\/tempo\//);
    expect(cfg.metrics_generator.storage.path).toMatch(/^\/var\/tempo\//);
  });

  it('span metrics keep the intrinsic service label and map only bounded resource attributes', () => {
    const sm = tempoConfig(buildEnv('prod')).metrics_generator.processor.span_metrics;
    // `service` comes from service.name by default; switching it off would break every RED panel.
    expect(sm.intrinsic_dimensions).toBeUndefined();
    expect(sm.dimension_mappings).toEqual([{ name: 'namespace', source_labels: ['k8s.namespace.name'] }]);
    expect(JSON.stringify(sm)).not.toMatch(/k8s\.pod|pod\.name|pod\.uid/);
  });

  it('with the generator off: no generator block, no processors, no remote-write wire', () => {
    const build = buildEnv('prod', { tempo: { metricsGenerator: false } });
    const cfg = tempoConfig(build);
    expect(cfg.metrics_generator).toBeUndefined();
    expect(cfg.overrides.defaults.metrics_generator).toBeUndefined();
    expect(build.wires.filter((w) => w.from === 'tempo' && w.kind === 'remote-write')).toHaveLength(0);
  });

  it('exports the generator metric names Tempo 2.10 writes', () => {
    expect(TEMPO_METRICS.spanMetrics.callsTotal).toBe('traces_spanmetrics_calls_total');
    expect(TEMPO_METRICS.spanMetrics.latencyBucket).toBe('traces_spanmetrics_latency_bucket');
    expect(TEMPO_METRICS.spanMetrics.sizeTotal).toBe('traces_spanmetrics_size_total');
    expect(TEMPO_METRICS.serviceGraph.requestTotal).toBe('traces_service_graph_request_total');
    expect(TEMPO_METRICS.serviceGraph.requestFailedTotal).toBe('traces_service_graph_request_failed_total');
    expect(TEMPO_METRICS.serviceGraph.requestServerSecondsBucket).toBe('traces_service_graph_request_server_seconds_bucket');
    expect(TEMPO_PROCESSORS).toEqual(['service-graphs', 'span-metrics', 'local-blocks']);
  });
});

describe('receivers', () => {
  type Case = { name: string; overrides: StackOverrides; ports: string[]; receivers: Record<string, unknown> };
  const cases: Case[] = [
    {
      name: 'default: OTLP gRPC and HTTP only',
      overrides: {},
      ports: ['otlp-grpc', 'otlp-http'],
      receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
    },
    {
      name: 'Jaeger and Zipkin on',
      overrides: { tempo: { receivers: { jaeger: true, zipkin: true } } },
      ports: ['otlp-grpc', 'otlp-http', 'jaeger-grpc', 'jaeger-http', 'zipkin'],
      receivers: {
        otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
        jaeger: { protocols: { grpc: { endpoint: '0.0.0.0:14250' }, thrift_http: { endpoint: '0.0.0.0:14268' } } },
        zipkin: { endpoint: '0.0.0.0:9411' },
      },
    },
    {
      name: 'OTLP/HTTP only',
      overrides: { tempo: { receivers: { otlpGrpc: false } } },
      ports: ['otlp-http'],
      receivers: { otlp: { protocols: { http: { endpoint: '0.0.0.0:4318' } } } },
    },
    {
      name: 'Zipkin only',
      overrides: { tempo: { receivers: { otlpGrpc: false, otlpHttp: false, zipkin: true } } },
      ports: ['zipkin'],
      receivers: { zipkin: { endpoint: '0.0.0.0:9411' } },
    },
  ];

  it.each(cases)('$name: exactly the configured receivers listen', ({ overrides, ports, receivers }) => {
    const build = buildEnv('prod', overrides);
    const objects = tempoObjects(build);
    expect(tempoConfig(build).distributor.receivers).toEqual(receivers);
    const expected = [METRICS_PORT_NAME, ...ports];
    expect(find(objects, 'Service', 'tempo').spec.ports.map((p: { name: string }) => p.name)).toEqual(expected);
    expect(tempoContainer(build).ports.map((p: { name: string }) => p.name)).toEqual(expected);
    const otlpWires = build.wires.filter((w) => w.from === 'cluster-workloads' && w.to.component === 'tempo');
    expect(otlpWires.map((w) => w.to.portName)).toEqual(ports);
    expect(otlpWires.every((w) => w.kind === 'otlp')).toBe(true);
  });

  it('every receiver binds all interfaces on the port its Service port targets', () => {
    const build = buildEnv('prod', { tempo: { receivers: { jaeger: true, zipkin: true }, ports: { otlpGrpc: 14317 } } });
    const servicePorts = new Map<number, string>(find(tempoObjects(build), 'Service', 'tempo').spec.ports.map((p: { port: number; name: string }) => [p.port, p.name]));
    const endpoints: string[] = [];
    const collect = (o: unknown): void => {
      if (o && typeof o === 'object') {
        for (const [k, v] of Object.entries(o)) {
          if (k === 'endpoint' && typeof v === 'string') endpoints.push(v);
          else collect(v);
        }
      }
    };
    collect(tempoConfig(build).distributor.receivers);
    expect(endpoints).toHaveLength(5);
    for (const e of endpoints) {
      const [host, port] = e.split(':');
      expect(host).toBe('0.0.0.0');
      expect(servicePorts.has(Number(port))).toBe(true);
    }
    expect(endpoints).toContain('0.0.0.0:14317');
  });

  it('the documented OTLP endpoints point at ports the Tempo Service exposes', () => {
    const build = buildEnv('dev');
    const service = find(tempoObjects(build), 'Service', 'tempo');
    for (const [url, name] of [[otlpHttpEndpoint(build.endpoints), 'otlp-http'], [otlpGrpcEndpoint(build.endpoints), 'otlp-grpc']]) {
      const u = new URL(url);
      expect(u.hostname).toBe(`${service.metadata.name}.${service.metadata.namespace}.svc`);
      expect(service.spec.ports.find((p: { name: string }) => p.name === name).port).toBe(Number(u.port));
    }
  });
});

describe('retention and storage', () => {
  it.each(PROFILES)('%s: block_retention is the configured retention', (profile) => {
    const build = buildEnv(profile);
    const compaction = tempoConfig(build).compactor.compaction;
    expect(compaction.block_retention).toBe(build.env.config.tempo.retention);
    expect(compaction.compacted_block_retention).toBeUndefined();
  });

  it('an override reaches block_retention', () => {
    expect(tempoConfig(buildEnv('prod', { tempo: { retention: '100h' } })).compactor.compaction.block_retention).toBe('100h');
  });

  it('dev keeps data in a size-capped emptyDir, prod in a claim labelled with selector labels only', () => {
    const dev = find(tempoObjects(buildEnv('dev')), 'StatefulSet', 'tempo');
    expect(dev.spec.volumeClaimTemplates).toEqual([]);
    expect(dev.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'data').emptyDir.sizeLimit).toBe('2Gi');

    const prod = find(tempoObjects(buildEnv('prod')), 'StatefulSet', 'tempo');
    const [claim] = prod.spec.volumeClaimTemplates;
    expect(claim.metadata.name).toBe('data');
    expect(claim.metadata.labels).toEqual(prod.spec.selector.matchLabels);
    expect(claim.spec.resources.requests.storage).toBe('50Gi');
  });

  it.each(PROFILES)('%s: WAL, blocks and generator data all live on the data volume', (profile) => {
    const build = buildEnv(profile);
    const cfg = tempoConfig(build);
    const mount = tempoContainer(build).volumeMounts.find((m: { name: string }) => m.name === 'data').mountPath;
    for (const p of [cfg.storage.trace.wal.path, cfg.storage.trace.local.path, cfg.metrics_generator.storage.path, cfg.metrics_generator.traces_storage.path]) {
      expect(p.startsWith(`${mount}/`)).toBe(true);
    }
    expect(cfg.storage.trace.backend).toBe('local');
  });
});

describe('pod', () => {
  it.each(PROFILES)('%s: runs as 10001 with a read-only root filesystem and the upstream probes', (profile) => {
    const build = buildEnv(profile);
    const pod = find(tempoObjects(build), 'StatefulSet', 'tempo').spec.template.spec;
    const c = pod.containers[0];
    expect(pod.securityContext.runAsUser).toBe(10001);
    expect(pod.securityContext.fsGroup).toBe(10001);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: METRICS_PORT_NAME });
    expect(c.startupProbe.httpGet.path).toBe('/ready');
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(c.livenessProbe.httpGet.path).not.toBe('/ready');
    expect(c.resources.limits.memory).toBe(build.env.config.tempo.resources.limits.memory);
  });

  it('GOMEMLIMIT is 90% of the memory limit', () => {
    const env = (b: StackBuild) => tempoContainer(b).env.find((e: { name: string }) => e.name === 'GOMEMLIMIT').value;
    expect(env(buildEnv('dev'))).toBe('460MiB'); // 512Mi
    expect(env(buildEnv('prod'))).toBe('1843MiB'); // 2Gi
  });

  it('the config checksum follows the config, not the labels', () => {
    const sum = (o?: StackOverrides) => find(tempoObjects(buildEnv('prod', o)), 'StatefulSet', 'tempo').spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
    expect(sum({ tempo: { retention: '100h' } })).not.toBe(sum());
    expect(sum({ common: { labels: { team: 'obs' } } })).toBe(sum());
  });

  it('the rendered config is the ConfigMap content, with reporting off', () => {
    const build = buildEnv('prod');
    const cm = find(tempoObjects(build), 'ConfigMap', 'tempo');
    const cfg = load(cm.data['tempo.yaml']) as { usage_report: { reporting_enabled: boolean }; server: { http_listen_port: number } };
    expect(cfg.usage_report.reporting_enabled).toBe(false);
    expect(cfg.server.http_listen_port).toBe(build.endpoints.tempo.http.port);
  });
});

describe('stack wiring', () => {
  it('Prometheus scrapes Tempo on its metrics port', () => {
    const build = buildEnv('prod');
    expect(build.wires).toContainEqual(expect.objectContaining({ from: 'prometheus', kind: 'scrape', to: build.endpoints.tempo.http }));
    const prom = configMapYaml(objectsOf(build), 'prometheus', 'prometheus.yaml');
    const job = prom.scrape_configs.find((j: { job_name: string }) => j.job_name === 'tempo');
    expect(job.kubernetes_sd_configs[0].namespaces.names).toEqual([build.endpoints.tempo.http.namespace]);
    expect(job.relabel_configs[0]).toMatchObject({ regex: METRICS_PORT_NAME, action: 'keep' });
  });

  it('records Tempo writing to Prometheus', () => {
    const build = buildEnv('dev');
    expect(build.wires).toContainEqual(expect.objectContaining({ from: 'tempo', kind: 'remote-write', to: build.endpoints.prometheus.http }));
  });

  it('with tempo disabled there is no Tempo chart, scrape job or wire', () => {
    const build = buildEnv('prod', { tempo: { enabled: false } });
    expect(build.charts.some((c) => c.node.id === 'tempo')).toBe(false);
    expect(build.wires.some((w) => w.from === 'tempo' || w.to.component === 'tempo')).toBe(false);
    const prom = configMapYaml(objectsOf(build), 'prometheus', 'prometheus.yaml');
    expect(prom.scrape_configs.map((j: { job_name: string }) => j.job_name)).not.toContain('tempo');
  });
});

describe('tempo validation', () => {
  const issuesOf = (overrides: StackOverrides) => errorOf(overrides, 'prod');

  it('fails when the retention uses days (Go durations have no "d")', () => {
    expect(issuesOf({ tempo: { retention: '14d' } })).toContain('tempo.retention: "14d" is not a Go duration; use hours, minutes or seconds, e.g. "336h"');
  });

  it('fails when no receiver is enabled', () => {
    expect(issuesOf({ tempo: { receivers: { otlpGrpc: false, otlpHttp: false } } }))
      .toMatch(/tempo\.receivers: \{"otlpGrpc":false,"otlpHttp":false,"jaeger":false,"zipkin":false\} enables no receiver; enable at least otlpGrpc or otlpHttp/);
  });

  it('fails when two Tempo ports clash', () => {
    expect(issuesOf({ tempo: { ports: { zipkin: 4318 } } })).toContain('tempo.ports.zipkin: 4318 clashes with tempo.ports.otlpHttp');
  });
});
