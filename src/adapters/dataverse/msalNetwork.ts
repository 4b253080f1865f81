import https from 'node:https';
import tls from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * One TLS context per extra CA for the whole process: built from ~150 root certificates, it costs tens of
 * milliseconds, which a `ca` option would pay again on every new connection of every client.
 */
const contexts = new Map<string, tls.SecureContext>();
function trusting(extraCaPem: string): tls.SecureContext {
  let context = contexts.get(extraCaPem);
  if (!context)
    contexts.set(
      extraCaPem,
      (context = tls.createSecureContext({ ca: [...tls.rootCertificates, extraCaPem] })),
    );
  return context;
}

/**
 * msal-node's network client over `node:https` with an agent that trusts the system roots plus an
 * optional extra CA (the local sandbox's self-signed certificate). TLS verification stays on; in
 * production no extra CA is configured and this behaves like msal's own client.
 */
export function createMsalNetworkClient(extraCaPem?: string): INetworkModule {
  const agent = new https.Agent({
    keepAlive: true,
    ...(extraCaPem ? { secureContext: trusting(extraCaPem) } : {}),
  });
  const send = <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
    timeoutMs?: number,
  ): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const body = method === 'POST' ? (options?.body ?? '') : undefined;
      const headers: Record<string, string | number> = { ...(options?.headers ?? {}) };
      if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
      const req = https.request(
        url,
        { method, agent, headers, ...(timeoutMs ? { timeout: timeoutMs } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const flat: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              // msal inspects the status; a non-JSON body (proxy page, HTML error) carries nothing it can use.
              parsed = {};
            }
            resolve({ headers: flat, body: parsed as T, status: res.statusCode ?? 0 });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`token endpoint did not answer within ${timeoutMs} ms`)));
      req.on('error', (err) => reject(new Error(`token endpoint unreachable: ${err.message}`)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
