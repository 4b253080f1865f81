/** The facts a message is rendered from (src/domain/messages), stored with every outcome. */
import type { Channel, RecipientSource } from './channels';

/** Values the message templates may use. Every field optional; a template names the ones it needs. */
export interface MessageFacts {
  relation?: string;
  administration?: string;
  division?: number;
  channel?: Channel;
  method?: string;
  date?: string;
  when?: string;
  address?: string;
  source?: string;
  status?: number;
  detail?: string;
  invoice?: string;
  /** Which layout is missing (layout_missing): the document layout or the email text layout. */
  layout?: 'document' | 'email';
  /** The layout set, when Exact no longer has it (layout_missing), by its mirrored name or GUID. */
  layoutName?: string;
  /** IANA zone the `when` is shown in. */
  zone?: string;
  /** A number of days (licence expiry notice). */
  days?: number;
  /** Where Exact takes the address from, when `address` is what Exact will send to (decision 0070). */
  recipientSource?: RecipientSource;
  /** The invoice's contact person in Exact, when the address is theirs. */
  contact?: string;
  /** The invoice account whose method the relation takes (it has none of its own). */
  inheritedFrom?: string;
  /** What the document is, when Exact said: a credit note is named as one. */
  document?: 'invoice' | 'creditNote';
  /** Peppol lookup: the identifier found registered for this document type. */
  peppolFound?: string;
  /** Peppol lookup: an identifier registered, but not for BIS Billing 3.0 of this document type. */
  peppolWrongDocument?: string;
  /** Peppol lookup: the identifiers tried, in order, `, `-separated. */
  peppolTried?: string;
  /** A Peppol id found under another identifier than the relation's own: offered to the relation (issue 16). */
  peppolOffer?: string;
  /** The email goes by Dynamics 365 (PRODUCT.md §12); `address` then lists its To recipients. */
  route?: 'dynamics';
  /** Dynamics route: the CC recipients, `; `-separated. */
  cc?: string;
  /** Dynamics route: where the recipients come from (the invoice's own list overrides the relation's). */
  recipientOrigin?: 'invoice' | 'relation';
  /** Dynamics route: a draft for review. */
  review?: boolean;
  /** A copy of a processed invoice's document sent again (its number, counted from 1). */
  copy?: number;
}
