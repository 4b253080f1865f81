/**
 * Everything a request passes before a resource sees it: OAuth endpoints, bearer check, division scope,
 * the error block and the rate limits, then the resource; errors become Exact's envelope.
 */
import { asXml } from './atom';
import { HttpError, type Reply, errorReply } from './http';
import { type ApiContext, handleDivisionResource, handleMe } from './api';
import type { ErrorBlock, RateLimits } from './limits';
import type { OAuth } from './oauth';
import type { Store } from './store';
import type { Webhooks } from './webhooks';

export interface Gate {
  store: Store;
  oauth: OAuth;
  limits: RateLimits;
  block: ErrorBlock;
  now: () => number;
  base: string;
  webhooks: Webhooks;
}

export interface Incoming {
  method: string;
  pathname: string;
  query: Record<string, string>;
  rawBody: string;
  authorization: string | undefined;
  /** The Accept header: JSON only when it asks for it (reference §3). */
  accept?: string | undefined;
}

export async function route(g: Gate, r: Incoming): Promise<Reply> {
  if (r.pathname === '/api/oauth2/auth' && r.method === 'GET') return g.oauth.authorize(r.query);
  if (r.pathname === '/api/oauth2/token' && r.method === 'POST')
    return g.oauth.token(Object.fromEntries(new URLSearchParams(r.rawBody)));
  const m = /^\/api\/v1\/([^/]+)\/(.+)$/.exec(r.pathname);
  if (!m?.[1] || !m[2]) return errorReply(404, 'Not found');
  const reply = await api(g, r, m[1], m[2]);
  return /application\/json/i.test(r.accept ?? '') ? reply : asXml(reply);
}

async function api(g: Gate, r: Incoming, divPart: string, resource: string): Promise<Reply> {
  const now = g.now();
  const endpoint = `${divPart}/${resource.replace(/\(.*\)$/, '')}`.toLowerCase();
  const auth = g.oauth.bearer(r.authorization);
  if (!auth.ok) {
    // An unknown token cannot be attributed to an app/user, so only expired ones count as errors.
    if (auth.clientId && auth.userId) g.block.record(`${auth.clientId}|${auth.userId}|${endpoint}`, 401, now);
    return errorReply(401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
  }
  const errorKey = `${auth.clientId}|${auth.userId}|${endpoint}`;
  const blocked = g.block.blocked(errorKey, now);
  if (blocked) return blocked;
  const reply = await scoped(g, r, divPart, resource, auth, now);
  g.block.record(errorKey, reply.status, now);
  return reply;
}

async function scoped(
  g: Gate,
  r: Incoming,
  divPart: string,
  resource: string,
  auth: { clientId: string; userId: string },
  now: number,
): Promise<Reply> {
  const user = g.store.user(auth.userId);
  if (!user) return errorReply(401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
  const isMe = divPart === 'current';
  if (isMe && resource.toLowerCase() !== 'me') return errorReply(404, 'Not found');
  const division = Number(divPart);
  const div = isMe ? null : g.store.divisions.get(division);
  if (!isMe) {
    if (!div) return errorReply(403, 'Forbidden - WrongDivision');
    if (!g.store.canAccess(user, division))
      return errorReply(403, 'Forbidden - User division is not within division scope', {
        Reason: 'NoDivisionAccess',
      });
  }
  const taken = g.limits.take(`${auth.clientId}|${divPart}`, now);
  if ('refused' in taken) return taken.refused;
  const ctx: ApiContext = {
    store: g.store,
    now: g.now,
    base: g.base,
    user,
    scopes: g.oauth.scopes(),
    webhooks: g.webhooks,
    ...r,
  };
  let reply: Reply;
  try {
    reply = div ? await handleDivisionResource(ctx, div, resource) : handleMe(ctx);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    reply = errorReply(err.status, err.text, err.headers);
  }
  return { ...reply, headers: { ...taken.headers, ...reply.headers } };
}
