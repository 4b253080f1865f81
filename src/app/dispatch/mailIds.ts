/** The ids the Dynamics route chooses (stable per invoice and copy), and its wiring. */
import { createHash } from 'node:crypto';
import type { LedgerKey } from '../ports';
import type { Run } from './types';

/** A stable UUID (RFC 4122 layout, version 5 bits) from a text: the same invoice and copy, the same id. */
export function stableId(text: string): string {
  const h = createHash('sha1').update(text).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function emailIdOf(key: LedgerKey, copy: number): string {
  return stableId(`autoinvoice:email:${key.tenantId}:${key.division}:${key.invoiceId.toLowerCase()}:${copy}`);
}

export function mailDeps(run: Run): NonNullable<Run['deps']['mail']> {
  const deps = run.deps.mail;
  if (!deps) throw new Error('the Dynamics route is not wired: DispatchDeps.mail is missing');
  return deps;
}
