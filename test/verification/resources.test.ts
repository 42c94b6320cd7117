/**
 * Every rendered config held against the pods that run it (test/support/checks/resources.ts): no memory
 * ceiling, cache or replay limit the container cannot hold, every timeout chain in order. Runs over the
 * synthesized objects of dev, prod, large, the minimal and maximal configs and the large variant.
 */
import { dump, load } from 'js-yaml';
import { checkMemoryCeilings, checkTimeoutChains, formatProblems, lokiEmbeddedCacheBytes, parseByteSize, retryWindow } from '../support/checks';
import type { KubeObject } from '../support/synth';
import { CONFIG_LABELS, configNamed } from './configs';
import { brokenObjects } from './helpers';


describe.each(CONFIG_LABELS)('%s: resources', (label) => {
  const objects = () => configNamed(label).objects;

  it('no in-memory ceiling, cache, replay or live-data limit above what its container holds', () => {
    expect(formatProblems(checkMemoryCeilings(objects()))).toBe('');
  });

  it('every timeout chain in order: query < backend HTTP write < Grafana; agent push < backend read; retries outlast a Loki restart', () => {
    expect(formatProblems(checkTimeoutChains(objects()))).toBe('');
  });
});

/** A copy of `label`'s objects with the YAML file `key` of ConfigMap `name` changed by `mutate`. */
function withConfig(label: string, name: string, key: string, mutate: (doc: any) => void): KubeObject[] {
  return brokenObjects('ConfigMap', name, (cm) => {
    const doc = load(cm.data[key]) as any;
    mutate(doc);
    cm.data[key] = dump(doc);
  }, label);
}

describe('resource checks fail on broken input', () => {
  it('reads the byte sizes and backoff schedules the components use', () => {
    expect(parseByteSize('384MB')).toBe(384 * 2 ** 20);
    expect(parseByteSize('4GB')).toBe(4 * 2 ** 30);
    // Promtail's and Alloy's default schedule: 0.5 s doubling to 5 min, 10 retries = 511.5 s.
    expect(retryWindow({ minBackoff: 0.5, maxBackoff: 300, retries: 10 })).toBe(511.5);
  });

  it('counts Loki\'s implicit caches: an unconfigured chunk cache and five copies of the results cache', () => {
    expect(lokiEmbeddedCacheBytes({})).toBe(7 * 100e6);
    expect(lokiEmbeddedCacheBytes({ query_range: { results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: 10 } } } } })).toBe(100e6 + 6 * 10e6);
  });

  it('catches Loki\'s 4 GB WAL replay default in a 512 MiB container (the crash loop after an outage)', () => {
    const objects = withConfig('dev', 'loki', 'loki.yaml', (d) => { delete d.ingester.wal.replay_memory_ceiling; });
    expect(formatProblems(checkMemoryCeilings(objects))).toMatch(/WAL replay may fill 4\.00 GiB before flushing, over 80% of the 0\.50 GiB memory limit/);
  });

  it('catches the default caches and stream limit in a small Loki', () => {
    const objects = withConfig('dev', 'loki', 'loki.yaml', (d) => { delete d.chunk_store_config; delete d.query_range; delete d.limits_config.max_global_streams_per_user; });
    const text = formatProblems(checkMemoryCeilings(objects));
    expect(text).toMatch(/embedded caches may hold 0\.65 GiB/);
    expect(text).toMatch(/5000 streams/);
  });

  it('catches a stream limit the write replicas cannot hold', () => {
    const objects = withConfig('large', 'loki', 'loki.yaml', (d) => { d.limits_config.max_global_streams_per_user = 50000; });
    expect(formatProblems(checkMemoryCeilings(objects))).toMatch(/50000 streams \(50000 per ingester/);
  });

  it('catches Tempo\'s 15 MB/s default ingestion in a 512 MiB pod, and an unlimited generator', () => {
    const objects = withConfig('dev', 'tempo', 'tempo.yaml', (d) => { delete d.overrides.defaults.ingestion; delete d.overrides.defaults.metrics_generator.max_active_series; });
    const text = formatProblems(checkMemoryCeilings(objects));
    expect(text).toMatch(/15\.0 MB\/s for a 30s trace_live_period/);
    expect(text).toMatch(/series are unlimited/);
  });

  it('catches Prometheus\'s default query engine (20 x 50M samples), a job without sample_limit and the deprecated retention flags', () => {
    const objects = brokenObjects('StatefulSet', 'prometheus', (o) => {
      const c = o.spec.template.spec.containers[0];
      c.args = [...c.args.filter((a: string) => !a.startsWith('--query.')), '--storage.tsdb.retention.time=15d'];
    }, 'dev');
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus')!;
    const doc = load(cm.data['prometheus.yaml']) as any;
    delete doc.scrape_configs[0].sample_limit;
    delete doc.storage;
    cm.data['prometheus.yaml'] = dump(doc);
    const text = formatProblems(checkMemoryCeilings(objects));
    expect(text).toMatch(/20 concurrent queries of up to 50000000 samples hold 14\.90 GiB/);
    expect(text).toMatch(/\(prometheus\): has no sample_limit/);
    expect(text).toMatch(/--storage\.tsdb\.retention\.time is deprecated/);
    expect(text).toMatch(/retention time and size belong in the config file/);
  });

  it('catches Loki\'s 30 s HTTP write timeout under its 1 min query timeout, and Grafana\'s 30 s default', () => {
    const objects = withConfig('prod', 'loki', 'loki.yaml', (d) => { delete d.server.http_server_write_timeout; });
    expect(formatProblems(checkTimeoutChains(objects))).toMatch(/Loki's HTTP write timeout \(30s\) cuts queries before their 60s query_timeout/);
    const grafana = brokenObjects('ConfigMap', 'grafana', (cm) => {
      cm.data['grafana.ini'] = cm.data['grafana.ini'].replace(/\[dataproxy\]\ntimeout = \d+\n/, '');
      const doc = load(cm.data['datasources.yaml']) as any;
      for (const ds of doc.datasources) delete ds.jsonData.timeout;
      cm.data['datasources.yaml'] = dump(doc);
    }, 'prod');
    const text = formatProblems(checkTimeoutChains(grafana));
    expect(text).toMatch(/Grafana gives Loki 30s, not more than Loki's 90s HTTP write timeout/);
    expect(text).toMatch(/Grafana gives Tempo 30s/);
    expect(text).toMatch(/Grafana gives the metrics store 30s, not more than the 60s query timeout/);
  });

  it('catches Tempo without a query time limit', () => {
    const objects = withConfig('prod', 'tempo', 'tempo.yaml', (d) => { delete d.query_frontend; delete d.server.http_server_write_timeout; });
    expect(formatProblems(checkTimeoutChains(objects))).toMatch(/no query time limit: the 30s HTTP write timeout cuts long searches/);
  });

  it('catches a log agent that gives up before Loki is back, with either agent', () => {
    const promtail = withConfig('prod', 'promtail', 'promtail.yaml', (d) => { delete d.clients[0].backoff_config; });
    expect(formatProblems(checkTimeoutChains(promtail))).toMatch(/drops a batch after 511\.5s of retries, before StatefulSet observability\/loki \(up to 720s to stop and start\)/);
    const alloy = brokenObjects('ConfigMap', 'alloy', (cm) => {
      const key = Object.keys(cm.data).find((k) => k.endsWith('.alloy'))!;
      cm.data[key] = cm.data[key].replace(/\n\s*max_backoff_retries\s*=\s*\d+/, '');
    }, 'large');
    expect(formatProblems(checkTimeoutChains(alloy))).toMatch(/drops a batch after \d+(\.\d+)?s of retries, before StatefulSet observability\/loki-write/);
  });
});
