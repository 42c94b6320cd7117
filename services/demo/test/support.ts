/**
 * Test support: starts the built services (dist/main.js) as child processes on loopback, a small OTLP/HTTP
 * receiver, and collects the services' JSON log lines. Everything binds 127.0.0.1 on ephemeral ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const MAIN = path.join(__dirname, '..', 'dist', 'main.js');

export interface ReceivedSpan {
  readonly service: string;
  readonly resource: Record<string, string>;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly statusCode: number;
  readonly attributes: Record<string, unknown>;
  /** Names of the span's events. */
  readonly events: string[];
}

export interface Receiver {
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Raw bodies of OTLP/HTTP protobuf requests. */
  readonly protobufBodies: Buffer[];
  readonly contentTypes: string[];
  waitFor(pred: (spans: readonly ReceivedSpan[], protobuf: readonly Buffer[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type OtlpValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
type OtlpAttr = { key: string; value: OtlpValue };

function attrs(list: OtlpAttr[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of list ?? []) out[a.key] = a.value.stringValue ?? a.value.intValue ?? a.value.boolValue ?? a.value.doubleValue;
  return out;
}

/** Flattens an OTLP/JSON ExportTraceServiceRequest (ids are hex strings in OTLP/JSON). */
export function flattenOtlpJson(body: unknown): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  const req = body as { resourceSpans?: Array<{ resource?: { attributes?: OtlpAttr[] }; scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }> };
  for (const rs of req.resourceSpans ?? []) {
    const resource = attrs(rs.resource?.attributes) as Record<string, string>;
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          service: resource['service.name'],
          resource,
          traceId: String(s.traceId),
          spanId: String(s.spanId),
          parentSpanId: String(s.parentSpanId ?? ''),
          name: String(s.name),
          kind: Number(s.kind),
          statusCode: Number((s.status as { code?: number } | undefined)?.code ?? 0),
          attributes: attrs(s.attributes as OtlpAttr[]),
          events: ((s.events as Array<{ name: string }> | undefined) ?? []).map((e) => e.name),
        });
      }
    }
  }
  return out;
}

export async function until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startReceiver(): Promise<Receiver> {
  const spans: ReceivedSpan[] = [];
  const protobufBodies: Buffer[] = [];
  const contentTypes: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const type = req.headers['content-type'] ?? '';
      contentTypes.push(type);
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      if (type.startsWith('application/json')) {
        spans.push(...flattenOtlpJson(JSON.parse(body.toString('utf8'))));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      } else {
        protobufBodies.push(body);
        // An empty protobuf message is a valid ExportTraceServiceResponse (full success).
        res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    protobufBodies,
    contentTypes,
    waitFor: (pred, timeoutMs = 5000) => until(() => pred(spans, protobufBodies), timeoutMs, 'spans at the OTLP receiver'),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export type LogLine = Record<string, unknown> & { level: string; msg: string };

export interface Service {
  readonly url: string;
  readonly port: number;
  readonly logs: LogLine[];
  /** stdout lines that were not JSON (there should be none). */
  readonly nonJson: string[];
  readonly stderr: string[];
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills every service still running (afterAll safety net). */
export function killAll(): void {
  for (const p of running) p.kill('SIGKILL');
  running.clear();
}

/** Starts one role of the built image entry point; resolves once it logged "listening". */
export function startService(role: string, env: Record<string, string>): Promise<Service> {
  const proc = spawn(process.execPath, [MAIN], {
    // A clean environment: no OTEL_* or proxy variables from the developer's shell.
    env: { PATH: process.env.PATH ?? '', ROLE: role, PORT: '0', HOST: '127.0.0.1', OTEL_BSP_SCHEDULE_DELAY: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  const logs: LogLine[] = [];
  const nonJson: string[] = [];
  const stderr: string[] = [];
  let buf = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => { running.delete(proc); resolve(code); }));
  proc.stderr!.on('data', (c: Buffer) => stderr.push(c.toString('utf8')));
  return new Promise<Service>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start: ${stderr.join('')}`)), 8000);
    exited.then((code) => { clearTimeout(timer); reject(new Error(`${role} exited with ${code}: ${stderr.join('')}`)); });
    proc.stdout!.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let parsed: LogLine;
        try {
          parsed = JSON.parse(line) as LogLine;
        } catch {
          nonJson.push(line);
          continue;
        }
        logs.push(parsed);
        if (parsed.msg === 'listening') {
          clearTimeout(timer);
          const port = Number(parsed.port);
          resolve({
            url: `http://127.0.0.1:${port}`, port, logs, nonJson, stderr, proc, exited,
            stop: (signal = 'SIGTERM') => { proc.kill(signal); return exited; },
          });
        }
      }
    });
  });
}

export interface HttpResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A plain GET without keep-alive (so a stopping server is not held open by the test's own sockets). */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** Samples of one metric in the Prometheus text or OpenMetrics exposition, with labels parsed. */
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  /** Exemplar labels (OpenMetrics only). */
  readonly exemplar?: Record<string, string>;
}

function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) out[m[1]] = m[2];
  return out;
}

export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)(?: \S+)?(?: # \{([^}]*)\} .*)?$/.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line}`);
    out.push({ name: m[1], labels: parseLabels(m[2] ?? ''), value: Number(m[3]), ...(m[4] !== undefined ? { exemplar: parseLabels(m[4]) } : {}) });
  }
  return out;
}

export const HOP_HARNESS = path.join(__dirname, 'harness', 'kafka-hop.js');

export interface HarnessRun {
  readonly code: number | null;
  readonly logs: LogLine[];
  /** Lines the harness printed with `harness: true`. */
  readonly results: Array<Record<string, unknown>>;
  readonly stderr: string;
}

/** Runs one end of the Kafka hop harness (test/harness/kafka-hop.js) to completion. */
export function runHopHarness(mode: 'produce' | 'consume', env: Record<string, string>, timeoutMs = 15_000): Promise<HarnessRun> {
  const proc = spawn(process.execPath, [HOP_HARNESS, mode], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', OTEL_BSP_SCHEDULE_DELAY: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  proc.stderr!.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`harness ${mode} timed out: ${err}`)); }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      running.delete(proc);
      const lines = out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({
        code,
        logs: lines.filter((l) => l.harness === undefined) as LogLine[],
        results: lines.filter((l) => l.harness === true),
        stderr: err,
      });
    });
  });
}

/** A TCP port on loopback where nothing listens (bound, then released): connections are refused at once. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
