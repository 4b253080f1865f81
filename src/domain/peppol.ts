/**
 * The Peppol receiver lookup's pure side (PRODUCT.md §13, decision 0080): participant identifiers, the SML
 * DNS name a participant is looked up under, the document types, and the four answers kept apart.
 */
import { createHash } from 'node:crypto';
import { isValidPeppolId, textOrNull } from './addresses';

/** SML zones (round2-facts §5): production and the test SMK. */
export const PEPPOL_ZONES = {
  production: 'edelivery.tech.ec.europa.eu',
  test: 'acc.edelivery.tech.ec.europa.eu',
} as const;

/** The participant identifier scheme of every Peppol participant id. */
export const PARTICIPANT_SCHEME = 'iso6523-actorid-upis';
export const DOCUMENT_SCHEME = 'busdox-docid-qns';
export const PROCESS_SCHEME = 'cenbii-procid-ubl';
/** BIS Billing 3.0's process (round2-facts §5). */
export const BILLING_PROCESS = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

export type PeppolDocument = 'invoice' | 'creditNote';

const CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1';
/** BIS Billing 3.0 Invoice and CreditNote document type identifiers (busdox-docid-qns values). */
export const DOCUMENT_TYPE_IDS: Record<PeppolDocument, string> = {
  invoice: `urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##${CUSTOMIZATION}`,
  creditNote: `urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##${CUSTOMIZATION}`,
};

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32 without `=` padding, lower case (DNS names are case-insensitive). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The U-NAPTR name of a participant (Peppol SML from 2025-11-01): base32(sha256(lower-cased `ICD:value`)),
 * then `.iso6523-actorid-upis.` and the zone. The hash covers the value only, the scheme is its own label
 * (the published examples in phax/peppol-commons BDXLURLProviderTest agree; decision 0080).
 */
export function smlDnsName(participant: string, zone: string): string {
  const hash = createHash('sha256').update(participant.trim().toLowerCase(), 'utf8').digest();
  return `${base32(hash)}.${PARTICIPANT_SCHEME}.${zone.replace(/\.$/, '').toLowerCase()}`;
}

/** What a relation carries that a Peppol participant id can be made from (mirrored from Exact). */
export interface ReceiverIdentifiers {
  peppolId?: string | null;
  kvk?: string | null;
  oin?: string | null;
  vatNumber?: string | null;
  /** ISO 3166 alpha-2, e.g. 'NL', 'BE'. */
  country?: string | null;
}

const compact = (raw: string | null | undefined): string | null =>
  textOrNull(raw)
    ?.replace(/[\s.-]/g, '')
    .toUpperCase() ?? null;

/** Belgian VAT `BE0123456789` (or without the prefix): the enterprise number is its ten digits. */
function belgianNumbers(vat: string | null): string[] {
  const digits = vat?.replace(/^BE/, '') ?? '';
  if (!/^[01]\d{9}$/.test(digits)) return [];
  return [`0208:${digits}`, `9925:BE${digits}`];
}

/**
 * The identifiers to try, in the Dutch order (round2-facts §5, NL PASR): the relation's Peppol id; KvK `0106`,
 * OIN `0190`; then the VAT number (NL `9944`; Belgium: enterprise number `0208`, then VAT `9925`). Values that
 * cannot be such a number are left out; duplicates are asked once.
 */
export function identifierOrder(ids: ReceiverIdentifiers): string[] {
  const order: string[] = [];
  const add = (id: string): void => {
    if (!order.some((o) => o.toLowerCase() === id.toLowerCase())) order.push(id);
  };
  if (isValidPeppolId(ids.peppolId)) add(ids.peppolId!.trim());
  const kvk = compact(ids.kvk);
  if (kvk && /^\d{8}$/.test(kvk)) add(`0106:${kvk}`);
  const oin = compact(ids.oin);
  if (oin && /^\d{20}$/.test(oin)) add(`0190:${oin}`);
  const vat = compact(ids.vatNumber);
  const country = compact(ids.country) ?? vat?.slice(0, 2) ?? null;
  if (country === 'BE') belgianNumbers(vat).forEach(add);
  else if (vat && /^NL\d{9}B\d{2}$/.test(vat)) add(`9944:${vat}`);
  return order;
}

/** The answer for one participant and one document type. */
export type ParticipantAnswer =
  | { kind: 'registered' }
  | { kind: 'notRegistered' }
  /** Registered on Peppol, but not for BIS Billing 3.0 of this document type. */
  | { kind: 'wrongDocumentType' }
  /** The network could not be asked (DNS or SMP fault, timeout): retry later, never "not registered". */
  | { kind: 'unknown'; detail: string };

/** One identifier asked, and its answer. */
export interface Asked {
  participant: string;
  answer: ParticipantAnswer;
}

/** The answer for a receiver: its identifiers walked in order. `tried` lists every identifier asked, in order. */
export type ReceiverAnswer =
  | { kind: 'registered'; participant: string; tried: string[]; offer: string | null }
  | { kind: 'notRegistered'; tried: string[] }
  | { kind: 'wrongDocumentType'; participant: string; tried: string[] }
  | { kind: 'unknown'; participant: string; tried: string[]; detail: string };

/** What the decision may see: an unknown answer retries before deciding (decision 0080). */
export type DefinitiveAnswer = Exclude<ReceiverAnswer, { kind: 'unknown' }>;

/**
 * The walk stops at the first registered identifier, and at the first that cannot be asked: skipping it
 * would make the identifier chosen depend on the network's weather (decision 0080).
 */
export function stopsWalk(answer: ParticipantAnswer): boolean {
  return answer.kind === 'registered' || answer.kind === 'unknown';
}

/**
 * The receiver's answer from the identifiers asked. A registered identifier other than the relation's own
 * Peppol id is offered to the relation (`offer`).
 */
export function receiverAnswer(asked: readonly Asked[], relationPeppolId: string | null): ReceiverAnswer {
  const tried = asked.map((a) => a.participant);
  const last = asked[asked.length - 1];
  if (last?.answer.kind === 'registered') {
    const own = relationPeppolId?.trim().toLowerCase() ?? null;
    const offer = last.participant.toLowerCase() === own ? null : last.participant;
    return { kind: 'registered', participant: last.participant, tried, offer };
  }
  if (last?.answer.kind === 'unknown') {
    return { kind: 'unknown', participant: last.participant, tried, detail: last.answer.detail };
  }
  const wrong = asked.find((a) => a.answer.kind === 'wrongDocumentType');
  if (wrong) return { kind: 'wrongDocumentType', participant: wrong.participant, tried };
  return { kind: 'notRegistered', tried };
}
