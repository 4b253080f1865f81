/**
 * GET over HTTPS for the SMP step, with a whole-request timeout and an optional extra CA (the local sandbox's
 * self-signed certificate). TLS checks stay on: the CA is added for these requests only, never globally.
 */
import https from 'node:https';
import { rootCertificates } from 'node:tls';

export interface HttpOptions {
  timeoutMs: number;
  /** PEM of a CA to trust besides the system's (the sandbox); absent in production. */
  ca?: string;
  /** Largest body read (SMP answers are a few kB; a larger one is not an SMP answer). */
  maxBytes?: number;
}

export type HttpAnswer =
  { kind: 'response'; status: number; body: string } | { kind: 'failed'; detail: string };

export function httpsGet(url: string, options: HttpOptions): Promise<HttpAnswer> {
  const max = options.maxBytes ?? 1_000_000;
  return new Promise((resolve) => {
    const done = (answer: HttpAnswer): void => {
      clearTimeout(timer);
      resolve(answer);
    };
    // Node's bundled roots stay trusted: the added CA extends them rather than replacing them.
    const ca = options.ca ? [...rootCertificates, options.ca] : undefined;
    const req = https.get(url, { ca, headers: { accept: 'application/xml, text/xml' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= max) return void chunks.push(c);
        // Answered first (a promise keeps its first answer): a cut answer never passes as a whole one.
        done({ kind: 'failed', detail: 'SMP answer too large' });
        req.destroy();
      });
      res.on('end', () =>
        done({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', (err) => done({ kind: 'failed', detail: describe(err) }));
    });
    const timer = setTimeout(() => req.destroy(new Error('timeout')), options.timeoutMs);
    req.on('error', (err) => done({ kind: 'failed', detail: describe(err) }));
  });
}

/** A safe description: the error code or a short word, never a URL or header. */
function describe(err: Error): string {
  const code = (err as { code?: unknown }).code;
  if (err.message === 'timeout') return 'SMP timeout';
  return `SMP ${typeof code === 'string' ? code : 'connection error'}`;
}
