/**
 * The CLI's one way to the connector: the operator API of a running connector, local (loopback, no token) or
 * in Azure (an Entra ID bearer token), over HTTP. Answers are checked with zod before use; a refusal names its
 * status and the connector's own message, never the token.
 */
import { z } from 'zod';

export interface Connection {
  /** e.g. http://127.0.0.1:7071 or https://autoinvoice-fn-….azurewebsites.net */
  url: string;
  token?: string;
  tenant?: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const ErrorBody = z.object({ error: z.string() });
const Progress = z.looseObject({
  total: z.number(),
  done: z.number(),
  percent: z.number(),
  byOutcome: z.record(z.string(), z.number()),
  eta: z.object({ seconds: z.number(), beyondDailyBudget: z.number(), limitedBy: z.string() }),
});
export type Progress = z.infer<typeof Progress>;
export const Line = z.looseObject({
  invoiceId: z.string(),
  invoice: z.string(),
  relation: z.string(),
  outcome: z.string(),
  channel: z.string().nullable(),
  reason: z.string(),
  message: z.string(),
});
export type Line = z.infer<typeof Line>;
const Summary = Progress.extend({ lines: z.array(Line) });
export type Summary = z.infer<typeof Summary>;

export function client(c: Connection) {
  const base = `${c.url.replace(/\/+$/, '')}/api/console/`;
  const headers = (extra: Record<string, string> = {}) => ({
    ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
    ...extra,
  });
  const withTenant = (body: Record<string, unknown>) => (c.tenant ? { tenant: c.tenant, ...body } : body);

  async function send(path: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(base + path, init);
    } catch (err) {
      throw new ApiError(`cannot reach the connector at ${c.url} (${(err as Error).message})`, 0);
    }
    if (res.ok) return res;
    const body = ErrorBody.safeParse(await res.json().catch(() => null));
    throw new ApiError(
      `the connector answered ${res.status}: ${body.success ? body.data.error : res.statusText}`,
      res.status,
    );
  }

  return {
    async get(path: string, query: Record<string, string | undefined> = {}): Promise<unknown> {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries({ tenant: c.tenant, ...query })) if (v !== undefined) q.set(k, v);
      const qs = q.size > 0 ? `?${q}` : '';
      return (await send(path + qs, { headers: headers() })).json();
    },
    async post(path: string, body: Record<string, unknown>): Promise<unknown> {
      const init = { method: 'POST', headers: headers({ 'content-type': 'application/json' }) };
      return (await send(path, { ...init, body: JSON.stringify(withTenant(body)) })).json();
    },
    /** A batch as Server-Sent Events: `onProgress` per event; resolves with the summary. */
    async batch(
      path: string,
      body: Record<string, unknown>,
      onProgress: (p: Progress) => void,
    ): Promise<Summary> {
      const res = await send(path, {
        method: 'POST',
        headers: headers({ 'content-type': 'application/json', accept: 'text/event-stream' }),
        body: JSON.stringify(withTenant(body)),
      });
      for await (const { event, data } of events(res)) {
        if (event === 'progress') onProgress(Progress.parse(data));
        else if (event === 'summary') return Summary.parse(data);
        else if (event === 'error') throw new ApiError(ErrorBody.parse(data).error, 500);
      }
      throw new ApiError('the connector closed the progress stream without a summary', 502);
    },
  };
}

/** Parses a text/event-stream body into its events (`event:` and one `data:` line each). */
async function* events(res: Response): AsyncGenerator<{ event: string; data: unknown }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data !== undefined) yield { event, data: JSON.parse(data) as unknown };
    }
  }
}
