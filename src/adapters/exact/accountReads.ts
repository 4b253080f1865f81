/**
 * The reads a fresh consent needs (`current/Me`, `system/Divisions`), with their small HTTP helpers.
 * Shared by the connect flow (oauth.ts) and the client (`__next` stays on the token's host).
 */
import axios from 'axios';
import { mapExactError, type Headers } from './errors';
import { ExactDivisionSchema, ExactMeSchema, envelopeSchema, type ExactDivision } from './schemas';

async function getJson(url: string, accessToken: string, timeoutMs: number): Promise<unknown> {
  let res;
  try {
    res = await axios.get(url, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${accessToken}` },
      timeout: timeoutMs,
      validateStatus: () => true,
    });
  } catch (err) {
    throw mapExactError(null, null, {}, { code: networkCode(err) });
  }
  if (res.status < 200 || res.status >= 300)
    throw mapExactError(res.status, res.data, res.headers as Headers);
  return res.data;
}

export async function readMe(baseUrl: string, accessToken: string, timeoutMs = 30_000) {
  const data = await getJson(
    `${baseUrl}/api/v1/current/Me?$select=CurrentDivision,UserID,UserName,FullName,Email`,
    accessToken,
    timeoutMs,
  );
  const me = envelopeSchema(ExactMeSchema).parse(data).d.results[0];
  if (!me) throw mapExactError(502, { error: { message: 'current/Me returned no row' } }, {});
  return me;
}

/** All divisions the consent covers (division scoping), following `__next`. */
export async function readDivisions(
  baseUrl: string,
  accessToken: string,
  division: number,
  timeoutMs = 30_000,
) {
  const out: ExactDivision[] = [];
  let url: string | undefined = `${baseUrl}/api/v1/${division}/system/Divisions?$select=Code,Description,HID`;
  while (url) {
    const data: unknown = await getJson(url, accessToken, timeoutMs);
    const page: { results: ExactDivision[]; __next?: string | undefined } =
      envelopeSchema(ExactDivisionSchema).parse(data).d;
    out.push(...page.results);
    url = page.__next && sameOrigin(page.__next, baseUrl) ? page.__next : undefined;
  }
  return out;
}

/** `__next` is an absolute URL: follow it only to the host the token belongs to. */
export function sameOrigin(url: string, baseUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

export function networkCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'ERR_NETWORK';
}
