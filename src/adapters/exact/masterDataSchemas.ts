/**
 * Wire schemas of the master-data answers (decision 0071): layouts, accounts (crm and sync), contacts.
 * Unknown fields are ignored; a missing key or a wrong type fails the whole answer (ExactServerError 502).
 */
import { z } from 'zod';
import type { ExactAccount, ExactContact } from '../../app/masterData/ports';
import { zoneOffsetMs } from '../../domain/timing';
import type { Language } from '../../domain/types';
import { peppolIdOf } from './peppol';
import { guid } from './schemas';

/** Blank strings read as null; other values as Exact holds them. */
const text = z
  .string()
  .nullish()
  .transform((v) => (v && v.trim() !== '' ? v : null));
const ref = guid.nullish().transform((v) => v?.toLowerCase() ?? null);
const int = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? null);

export const LAYOUT_SELECT = 'ID,Subject,Type';
export const GENERAL_LAYOUT_SELECT = 'ID,Language,Status,Category';

export const LayoutRowSchema = z.object({
  ID: guid,
  Subject: text,
  Type: z.number().int(),
});

export const GeneralLayoutRowSchema = z.object({ ID: guid, Language: text, Status: int });

/** A layout's `Language` ('NL', 'nl-NL', 'EN', …) as a connector language; anything else unknown. */
export function layoutLanguage(code: string | null): Language | null {
  const two = code?.trim().slice(0, 2).toLowerCase();
  return two === 'nl' || two === 'en' ? two : null;
}

/**
 * `Modified` is Dutch local time without a zone (AB `streams.py` converts CET/CEST): `/Date(ms)/` holds the
 * wall clock of Europe/Amsterdam as if it were UTC. Returns the real instant.
 */
export function amsterdamToInstant(wallMs: number): number {
  const offset = (utcMs: number): number => zoneOffsetMs(utcMs, 'Europe/Amsterdam');
  const first = wallMs - offset(wallMs);
  return wallMs - offset(first);
}

const exactLocalDate = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (!v) return null;
    const m = /^\/Date\((-?\d+)\)\/$/.exec(v);
    const ms = m ? amsterdamToInstant(Number(m[1])) : Date.parse(v);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `not an Exact date: ${v}` });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

export const ACCOUNT_FIELDS = [
  'ID',
  'Name',
  'Status',
  'IsSales',
  'Blocked',
  'ChamberOfCommerce',
  'VATNumber',
  'OINNumber',
  'Language',
  'InvoiceAccount',
  'InvoicingMethod',
  'Email',
  'MainContact',
  'PeppolIdentifier',
  'PeppolIdentifierType',
  'Modified',
] as const;

const accountShape = {
  ID: guid,
  Name: z.string().nullish(),
  Status: text,
  Blocked: z.boolean().nullish(),
  ChamberOfCommerce: text,
  VATNumber: text,
  OINNumber: text,
  Language: text,
  InvoiceAccount: ref,
  InvoicingMethod: int,
  Email: text,
  MainContact: ref,
  PeppolIdentifier: text,
  PeppolIdentifierType: int,
  Modified: exactLocalDate,
};

type AccountRow = z.infer<z.ZodObject<typeof accountShape>>;

function toAccount(r: AccountRow): ExactAccount {
  return {
    id: r.ID.toLowerCase(),
    name: r.Name ?? '',
    customer: r.Status?.trim() === 'C',
    blocked: r.Blocked ?? false,
    email: r.Email,
    invoicingMethod: r.InvoicingMethod,
    peppolId: peppolIdOf(r.PeppolIdentifier, r.PeppolIdentifierType),
    kvk: r.ChamberOfCommerce,
    vatNumber: r.VATNumber,
    oin: r.OINNumber,
    language: r.Language,
    invoiceAccount: r.InvoiceAccount,
    mainContact: r.MainContact,
    modified: r.Modified,
  };
}

export const AccountRowSchema = z.object(accountShape).transform(toAccount);

/** `Timestamp` is an Int64: OData v2 JSON sends it as a string; a number is accepted while it is exact. */
const rowversion = z.union([
  z.string().regex(/^\d+$/),
  z
    .number()
    .int()
    .nonnegative()
    .refine((n) => Number.isSafeInteger(n), 'Timestamp beyond 2^53 arrived as a JSON number')
    .transform((n) => String(n)),
]);

export const SyncAccountRowSchema = z
  .object({ ...accountShape, Timestamp: rowversion })
  .transform((r) => ({ account: toAccount(r), timestamp: r.Timestamp }));

export const CONTACT_SELECT = 'ID,Account,Email,FullName';

export const ContactRowSchema = z
  .object({ ID: guid, Account: guid, Email: text, FullName: text })
  .transform((c): ExactContact => ({
    id: c.ID.toLowerCase(),
    account: c.Account.toLowerCase(),
    email: c.Email,
    name: c.FullName,
  }));
