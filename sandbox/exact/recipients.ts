/**
 * Where Exact sends an invoice printed with `SendEmailToCustomer` — the sandbox's side of decision 0070's
 * proposed rule. **CHOICE (undocumented):** Exact names the invoice's `InvoiceTo` account as "the invoice
 * customer" and `InvoiceToContactPerson` as the person "who will receive the invoice", but says nothing of
 * which e-mail field is used or of any fallback (0070 "Unknown"). The sandbox takes:
 *   1. the `Email` of the invoice's contact person, when it has one and that Email is not blank;
 *   2. otherwise the InvoiceTo account's `Email`.
 * The chosen value must be one valid address; blank → "No email address …", a list or junk →
 * "Invalid email address …" (no fallback from an invalid contact e-mail to the account's).
 * `BusinessEmail` is never used, and the account's MainContact only matters when the invoice is created
 * (it then becomes the contact person), never at print time.
 * The connector implements the same rule itself (src/domain); test/contract/exactRecipients.cases.ts pins both.
 */
import type { RecipientRule } from './types';

export interface RecipientInput {
  account: { ID: string; Name: string; Email?: string | null | undefined };
  /** The invoice's InvoiceToContactPerson as a contact, or null when it has none (or it no longer exists). */
  contactPerson: { ID: string; Email?: string | null | undefined } | null;
}

export type RecipientResult =
  | { ok: true; recipients: [string]; rule: RecipientRule; contact: string | null }
  | {
      ok: false;
      problem: 'missing' | 'invalid';
      /** The value found (for `invalid`), never sent to. */
      value: string | null;
      rule: RecipientRule;
      contact: string | null;
      /** Exact's `EmailCreationError` text (the sandbox's wording). */
      error: string;
    };

/** One address: no spaces, one `@`, a dot in the domain, no `;`/`,` separators. */
export const SINGLE_EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;

export function resolveEmailRecipient(input: RecipientInput): RecipientResult {
  const contactEmail = input.contactPerson?.Email?.trim() ?? '';
  const useContact = input.contactPerson !== null && contactEmail !== '';
  const rule: RecipientRule = useContact ? 'contactPerson' : 'account';
  const contact = useContact ? input.contactPerson!.ID : null;
  const value = useContact ? contactEmail : (input.account.Email?.trim() ?? '');
  const name = input.account.Name;
  if (value === '')
    return {
      ok: false,
      problem: 'missing',
      value: null,
      rule,
      contact,
      error: `No email address for account '${name}'.`,
    };
  if (!SINGLE_EMAIL.test(value))
    return {
      ok: false,
      problem: 'invalid',
      value,
      rule,
      contact,
      error: `Invalid email address '${value}' for account '${name}'.`,
    };
  return { ok: true, recipients: [value], rule, contact };
}

/**
 * `PeppolIdentifierType` codes as the sandbox reads them **[CHOICE]**: Exact documents the field only as
 * "GLN, COC, etc" (round2-facts §4.6). The same table is the adapter's (src/adapters/exact/peppol.ts);
 * both are to be confirmed on a real administration (decision 0071).
 */
export const PEPPOL_SCHEME_OF_TYPE: Readonly<Record<number, string>> = {
  1: '0088', // GLN
  2: '0106', // KvK (Chamber of Commerce, "COC")
  3: '0190', // OIN (Dutch government)
  4: '9944', // Dutch VAT number
  5: '0208', // Belgian enterprise number
};

/** The Peppol participant Exact sends to: `scheme:value`, a value that already has its scheme kept as it is. */
export function peppolParticipant(identifier: string | null | undefined, type: number | null | undefined) {
  const id = identifier?.trim() ?? '';
  if (id === '') return null;
  if (id.includes(':')) return id;
  const scheme = type == null ? undefined : PEPPOL_SCHEME_OF_TYPE[type];
  return scheme ? `${scheme}:${id}` : id;
}
