/**
 * Dataverse latency model. The Dataverse sandbox has no latency knob (the Exact one has `setLatency`), so
 * the benchmark delays every Web API request (`/api/data/v9.2/…`, one `$batch` counts once) before the
 * sandbox's handler sees it. Installed around `startLocalStack` only; token requests (https) are not delayed.
 */
import http from 'node:http';

const API = '/api/data/v9.2/';

export function delayDataverseWebApi(latency: () => number): () => void {
  const original = http.createServer;
  const patched = ((...args: unknown[]) => {
    const handler = args.find((a): a is http.RequestListener => typeof a === 'function');
    if (!handler) return (original as (...a: unknown[]) => http.Server)(...args);
    const rest = args.filter((a) => a !== handler);
    const delayed: http.RequestListener = (req, res) => {
      const ms = (req.url ?? '').startsWith(API) ? latency() : 0;
      if (ms <= 0) return handler(req, res);
      setTimeout(() => handler(req, res), ms);
    };
    return (original as (...a: unknown[]) => http.Server)(...rest, delayed);
  }) as typeof http.createServer;
  http.createServer = patched;
  return () => {
    http.createServer = original;
  };
}
