/**
 * Who may use the operator console (issue 18, decision 0092). In Azure: a person signed in with Entra ID
 * whose token (verified here with jose against the tenant's keys: issuer, audience, expiry, signature)
 * carries the app role `AutoInvoice.Operator`; a function key is not a person and is not enough. Locally:
 * loopback callers only (the local host sets x-forwarded-for from the socket), and no foreign web page.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Settings } from '../src/config/settings';

export const OPERATOR_ROLE = 'AutoInvoice.Operator';

export type Authorised = { ok: true; who: string } | { ok: false; response: HttpResponseInit };

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export async function authorise(req: HttpRequest, settings: Settings): Promise<Authorised> {
  if (settings.Mode === 'local') return loopbackOnly(req);
  const issuer = settings.ConsoleAuth__Issuer;
  const audience = settings.ConsoleAuth__Audience;
  const jwksUrl = settings.ConsoleAuth__JwksUrl;
  if (!issuer || !audience || !jwksUrl)
    return refuse(401, 'the operator console has no sign-in configured (ConsoleAuth__… settings)');
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '')?.[1];
  if (!token) return refuse(401, 'sign in with Entra ID: a bearer token is required');
  let payload: JWTPayload;
  try {
    if (!keySets.has(jwksUrl)) keySets.set(jwksUrl, createRemoteJWKSet(new URL(jwksUrl)));
    ({ payload } = await jwtVerify(token, keySets.get(jwksUrl)!, {
      issuer,
      audience,
      algorithms: ['RS256'],
      clockTolerance: 60,
    }));
  } catch {
    // jose's message names the failed check only; it is not echoed (nothing of the token leaves).
    return refuse(401, 'the bearer token is not valid for the operator console');
  }
  const roles = Array.isArray(payload.roles) ? payload.roles : [];
  if (!roles.includes(OPERATOR_ROLE))
    return refuse(403, `the signed-in account lacks the app role ${OPERATOR_ROLE}`);
  return { ok: true, who: personOf(payload) };
}

function personOf(p: JWTPayload): string {
  const name = p.preferred_username ?? p.upn ?? p.oid ?? p.sub;
  return typeof name === 'string' ? name : 'unknown';
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

function loopbackOnly(req: HttpRequest): Authorised {
  const caller = (req.headers.get('x-forwarded-for') ?? '').split(',')[0]!.trim();
  if (!LOOPBACK.test(caller)) return refuse(403, 'the local operator console answers loopback callers only');
  // A page of another site open in the same browser may send requests to 127.0.0.1: its Origin tells.
  const origin = req.headers.get('origin');
  if (origin !== null && !LOOPBACK_ORIGIN.test(origin))
    return refuse(403, 'requests from another web site are refused');
  return { ok: true, who: 'local' };
}

function refuse(status: 401 | 403, error: string): Authorised {
  return {
    ok: false,
    response: {
      status,
      jsonBody: { error },
      ...(status === 401 ? { headers: { 'www-authenticate': 'Bearer' } } : {}),
    },
  };
}
