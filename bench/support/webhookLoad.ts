/**
 * Open-loop HTTP load: requests are due at a fixed rate whatever the answers do, and each latency is
 * measured from the moment the request was DUE (not sent), so a stalled server cannot hide its stall
 * (no coordinated omission).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  latenciesMs: number[];
  statuses: Record<string, number>;
  achievedRate: number;
}

export async function openLoop(
  url: string,
  bodies: string[],
  headers: Record<string, string>,
  rate: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(url);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < bodies.length; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const body = bodies[i]!;
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.request(
          {
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            agent,
            headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - due);
              statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
              resolve();
            });
          },
        );
        req.on('error', () => {
          statuses.error = (statuses.error ?? 0) + 1;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { latenciesMs: latencies, statuses, achievedRate: bodies.length / seconds };
}
