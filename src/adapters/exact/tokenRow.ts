/** The token row of one Exact connection as stored, and when its access token needs a refresh. */
import { z } from 'zod';

/** Exact refuses a refresh earlier than 570 s after issue ("Access Token not expired"). */
const MIN_AGE_MS = 570_000;
/** Refresh when less than this is left, so the token outlives the request it is used for. */
const MIN_LEFT_MS = 30_000;
export const TOKENS = 'exact-connection';

export const TokenEntitySchema = z.object({
  etag: z.string(),
  state: z.enum(['active', 'lost']),
  baseUrl: z.string(),
  sealed: z.string(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  lostReason: z.string().optional(),
  lostAt: z.number().optional(),
  /** JSON list of the granted divisions; absent on rows stored before they were kept. */
  divisions: z.string().optional(),
  userId: z.string().optional(),
});
export type TokenEntity = z.infer<typeof TokenEntitySchema>;
export interface Cached {
  accessToken: string;
  issuedAt: number;
  expiresAt: number;
}

export function needsRefresh(t: { issuedAt: number; expiresAt: number }, now: number): boolean {
  if (t.expiresAt <= now) return true;
  return t.expiresAt - now < MIN_LEFT_MS && now - t.issuedAt >= MIN_AGE_MS;
}
