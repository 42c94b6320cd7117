/**
 * A small JSON GET over `node:http`. Node's global fetch (undici) is not covered by the HTTP
 * instrumentation, so calls made with it would neither produce client spans nor carry `traceparent`.
 */
import http from 'node:http';

export interface Response {
  readonly status: number;
  readonly body: string;
}

export const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 50 });

export function get(url: string, timeoutMs: number, agent: http.Agent = keepAliveAgent): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
