/**
 * Exact Online's webhook body (reference §10): `{"Content":{…},"HashCode":"…"}`, where `HashCode` is the
 * uppercase-hex HMAC-SHA256 of the raw text between `{"Content":` and `,"HashCode":`, keyed with the app's
 * webhook secret (PQ `Webhook/Authenticatable.php`; lowercase hex and base64 fail live, hookdeck PR #152).
 * The empty POST Exact sends right after a subscription is its validation handshake.
 *
 *   const read = readExactWebhook(rawBody, secret);
 *   // { kind: 'validation' } | { kind: 'forged', why } | { kind: 'malformed', problem } | { kind: 'event', event }
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ExactWebhookContentSchema = z.object({
  Topic: z.string().min(1),
  ClientId: z.string().optional(),
  Division: z.number().int().positive(),
  Action: z.enum(['Create', 'Update', 'Delete']),
  Key: z.string().regex(GUID, 'Key must be a GUID'),
  ExactOnlineEndpoint: z.string().optional(),
  EventCreatedOn: z.string().optional(),
});
export type ExactWebhookContent = z.infer<typeof ExactWebhookContentSchema>;

export type ExactWebhookRead =
  | { kind: 'validation' }
  | { kind: 'forged'; why: string }
  | { kind: 'malformed'; problem: string }
  | { kind: 'event'; content: ExactWebhookContent };

/** The PQ client's pattern: the signed text is everything between `{"Content":` and `,"HashCode":"…"}`. */
const ENVELOPE = /^\{"Content":(.*),"HashCode":"([^"]*)"\}$/s;

/** Uppercase hex, as Exact computes it. */
export function exactHashCode(signedText: string, secret: string): string {
  return createHmac('sha256', secret).update(signedText, 'utf8').digest('hex').toUpperCase();
}

/** Compares in constant time for equal lengths; a different length is refused before any comparison. */
function sameHash(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readExactWebhook(raw: string, secret: string): ExactWebhookRead {
  if (raw.trim() === '') return { kind: 'validation' };
  const envelope = ENVELOPE.exec(raw.trim());
  if (!envelope)
    return { kind: 'forged', why: 'the body is not {"Content":…,"HashCode":"…"}: no HashCode to verify' };
  const [, signed, hash] = envelope as unknown as [string, string, string];
  if (!sameHash(hash, exactHashCode(signed, secret)))
    return { kind: 'forged', why: 'HashCode does not match the body under the app’s webhook secret' };
  let content: unknown;
  try {
    content = JSON.parse(signed);
  } catch {
    return { kind: 'malformed', problem: 'Content is not valid JSON' };
  }
  const parsed = ExactWebhookContentSchema.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { kind: 'malformed', problem: `Content.${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { kind: 'event', content: parsed.data };
}
