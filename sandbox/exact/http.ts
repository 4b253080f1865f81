/** Wire helpers: Exact's error envelope, replies as values, body reading. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Object → JSON; string → sent as is; undefined → empty body. */
  body?: unknown;
}

/** A refusal that handlers throw; becomes Exact's `{"error":{"code":"","message":{…}}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(text);
  }
}

export function errorBody(text: string): unknown {
  return { error: { code: '', message: { lang: '', value: text } } };
}

export function errorReply(status: number, text: string, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: errorBody(text) };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers, body };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (typeof reply.body === 'string') payload = reply.body;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** `/Date(ms)/` as Exact sends dates; date-only values are midnight UTC. */
export const wireDate = (ms: number): string => `/Date(${ms})/`;
export const dateOnlyMs = (ymd: string): number => Date.parse(`${ymd.slice(0, 10)}T00:00:00Z`);

export function parseJsonBody(raw: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(raw || '{}');
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // same refusal as a non-object body
  }
  throw new HttpError(400, 'The request body is not valid JSON.');
}
