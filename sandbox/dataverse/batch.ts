import { randomUUID } from 'node:crypto';
import { ERR, ODataError } from './model';
import type { ApiRequest, ApiResponse } from './webapi';

/**
 * `$batch` as dynamics-web-api sends it (multipart/mixed, changesets as nested multipart) and as
 * Dataverse answers it: changesets are atomic; without `Prefer: odata.continue-on-error` the batch
 * stops at the first failed operation.
 */
export type Execute = (req: ApiRequest) => ApiResponse;
export type Atomic = <T>(run: () => T) => T;

interface Part {
  headers: Record<string, string>;
  body: string;
}

const PREFIX = '/api/data/v9.2/';

export function handleBatch(
  contentType: string,
  raw: string,
  preferHeader: string,
  execute: Execute,
  atomic: Atomic,
): { contentType: string; body: string } {
  const boundary = boundaryOf(contentType);
  const continueOnError = /odata\.continue-on-error/.test(preferHeader);
  const id = randomUUID();
  const out: string[] = [];
  for (const part of splitMultipart(raw, boundary)) {
    const nested = part.headers['content-type'];
    if (nested?.startsWith('multipart/mixed')) {
      const ops = splitMultipart(part.body, boundaryOf(nested));
      const result = runChangeset(ops, execute, atomic);
      out.push(`--batchresponse_${id}\r\n${result.text}`);
      if (!result.ok && !continueOnError) break;
    } else {
      const res = safely(execute, toRequest(part.body, {}));
      out.push(`--batchresponse_${id}\r\n${httpPart(res, undefined)}`);
      if (res.status >= 400 && !continueOnError) break;
    }
  }
  out.push(`--batchresponse_${id}--\r\n`);
  return { contentType: `multipart/mixed; boundary=batchresponse_${id}`, body: out.join('') };
}

function runChangeset(ops: Part[], execute: Execute, atomic: Atomic): { ok: boolean; text: string } {
  const changeset = `changesetresponse_${randomUUID()}`;
  const created: Record<string, string> = {};
  try {
    const parts = atomic(() =>
      ops.map((op) => {
        const contentId = op.headers['content-id'];
        const res = execute(toRequest(op.body, created));
        const entityId = res.headers['OData-EntityId'];
        if (contentId && entityId) created[contentId] = entityId;
        return `--${changeset}\r\n${httpPart(res, contentId)}`;
      }),
    );
    return {
      ok: true,
      text: `Content-Type: multipart/mixed; boundary=${changeset}\r\n\r\n${parts.join('')}--${changeset}--\r\n`,
    };
  } catch (err) {
    return { ok: false, text: httpPart(errorResponse(err), undefined) };
  }
}

function safely(execute: Execute, req: ApiRequest): ApiResponse {
  try {
    return execute(req);
  } catch (err) {
    return errorResponse(err);
  }
}

export function errorResponse(err: unknown): ApiResponse {
  const e =
    err instanceof ODataError ? err : new ODataError(500, '0x80040216', 'An unexpected error occurred.');
  return {
    status: e.status,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal', ...e.headers },
    body: { error: { code: e.code, message: e.message } },
  };
}

function httpPart(res: ApiResponse, contentId: string | undefined): string {
  const head = [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    ...(contentId ? [`Content-ID: ${contentId}`] : []),
  ];
  const lines = [
    `HTTP/1.1 ${res.status} ${STATUS_TEXT[res.status] ?? 'Status'}`,
    'OData-Version: 4.0',
    ...Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`),
  ];
  const body = res.body === undefined ? '' : JSON.stringify(res.body);
  return `${head.join('\r\n')}\r\n\r\n${lines.join('\r\n')}\r\n\r\n${body}\r\n`;
}

function toRequest(text: string, created: Record<string, string>): ApiRequest {
  const { head, body } = splitHead(text.replace(/^\s+/, ''));
  const [requestLine = '', ...headerLines] = head.split(/\r?\n/);
  const m = requestLine.match(/^(GET|POST|PATCH|PUT|DELETE)\s+(\S+)\s+HTTP\/1\.1$/);
  if (!m) throw ERR.badRequest(`Invalid request line in batch: '${requestLine}'.`);
  let url = m[2]!;
  const ref = url.match(/^\$(\w+)(.*)$/);
  if (ref && created[ref[1]!]) url = created[ref[1]!]! + ref[2]!;
  const at = url.indexOf(PREFIX);
  const relative = at >= 0 ? url.slice(at + PREFIX.length) : url.replace(/^\//, '');
  const [path = '', search = ''] = relative.split('?', 2);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let parsed: unknown;
  if (body.trim()) {
    const substituted = body.replace(/"\$(\w+)"/g, (all, cid: string) =>
      created[cid] ? JSON.stringify(created[cid]) : all,
    );
    try {
      parsed = JSON.parse(substituted);
    } catch {
      throw ERR.badRequest('The request body in the batch is not valid JSON.');
    }
  }
  return {
    method: m[1]!,
    path,
    query: Object.fromEntries(new URLSearchParams(search)),
    headers,
    body: parsed,
  };
}

function boundaryOf(contentType: string): string {
  const m = contentType.match(/boundary="?([^";]+)"?/i);
  if (!m) throw ERR.badRequest('The batch request has no multipart boundary.');
  return m[1]!;
}

function splitMultipart(raw: string, boundary: string): Part[] {
  const end = raw.indexOf(`--${boundary}--`);
  const sections = (end >= 0 ? raw.slice(0, end) : raw).split(`--${boundary}`).slice(1);
  return sections.map((s) => {
    const { head, body } = splitHead(s.replace(/^\r?\n/, ''));
    const headers: Record<string, string> = {};
    for (const line of head.split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    return { headers, body };
  });
}

function splitHead(text: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text, body: '' };
  return { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};
