/**
 * AES-256-GCM for tokens at rest. The connection id is bound as additional data, so a ciphertext copied
 * to another connection's row does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** 32 bytes, base64 (e.g. `openssl rand -base64 32`). The value itself never appears in an error. */
export const TokenKeySchema = z
  .string()
  .transform((v) => Buffer.from(v, 'base64'))
  .refine((b) => b.length === 32, { message: 'token encryption key must be 32 bytes, base64-encoded' });

export function parseTokenKey(base64: string): Buffer {
  const parsed = TokenKeySchema.safeParse(base64);
  if (!parsed.success) throw new Error('token encryption key must be 32 bytes, base64-encoded');
  return parsed.data;
}

const VERSION = 'v1';

export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(
    '.',
  );
}

export function open(key: Buffer, sealed: string, aad: string): string {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ct === undefined)
    throw new Error('sealed token has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    // Node's message is generic already; ours names the likely cause without echoing data.
    throw new Error('sealed token does not decrypt (wrong key or tampered row)');
  }
}
