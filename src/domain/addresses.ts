/**
 * Syntax checks for the two ways a relation can be reached electronically.
 * Deliberately pragmatic: they catch typos and pasted junk before Exact does, not every RFC corner case.
 */

/**
 * local@domain.tld: no spaces, no second `@`, dot-separated domain labels that neither start nor end with
 * a hyphen, a TLD of at least two letters. Quoted local parts and IP literals are rejected: Exact's own
 * address check refuses them as well, and they never occur in invoice address lists.
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function isValidEmail(address: string): boolean {
  if (address.length > 254) return false;
  if (!EMAIL.test(address)) return false;
  const local = address.slice(0, address.indexOf('@'));
  return local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

export type EmailList =
  | { kind: 'missing' }
  | { kind: 'invalid'; invalid: string; addresses: string[] }
  | { kind: 'valid'; addresses: string[] };

/** The entries of a `;`-separated list, trimmed, empty ones left out (no check of what they are). */
export function splitAddresses(raw: string | null | undefined): string[] {
  if (typeof raw !== 'string') return [];
  return raw
    .split(';')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

/** `;`-separated, trimmed, empty entries ignored; one invalid address makes the whole list invalid. */
export function parseEmailList(raw: string | null | undefined): EmailList {
  const addresses = splitAddresses(raw);
  if (addresses.length === 0) return { kind: 'missing' };
  const invalid = addresses.find((a) => !isValidEmail(a));
  return invalid === undefined ? { kind: 'valid', addresses } : { kind: 'invalid', invalid, addresses };
}

/**
 * Peppol participant id `scheme:value`: a four-digit ICD/EAS scheme (e.g. 0106 KvK, 0208 Belgian enterprise
 * number) and a non-empty value without whitespace. Whether the participant is registered is for Exact to find out.
 */
const PEPPOL_ID = /^\d{4}:\S+$/;

export function isValidPeppolId(raw: string | null | undefined): boolean {
  return typeof raw === 'string' && PEPPOL_ID.test(raw.trim());
}

/** Trimmed text, or null for null, non-strings and blank strings (Dataverse hands out '' as readily as null). */
export function textOrNull(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const t = raw.trim();
  return t.length > 0 ? t : null;
}
