/**
 * Invoice email from Dynamics 365 (PRODUCT.md §12, issue 15): which route a relation's email takes, who
 * receives it, and the subject's `%n`. Pure rules; the mail step (src/app/dispatch/mail.ts) carries them out.
 */
import { isValidEmail, splitAddresses, textOrNull } from './addresses';
import type {
  AdministrationFacts,
  DynamicsMailPlan,
  EmailRoute,
  InvoiceFacts,
  MessageFacts,
  RelationFacts,
} from './types';

/** The relation's own route, else the administration's, else Exact Online (the default, PRODUCT.md §12). */
export function emailRouteOf(relation: RelationFacts | null, admin: AdministrationFacts): EmailRoute {
  return relation?.emailRoute ?? admin.emailRoute ?? 'exact';
}

/** Review drafts: the relation's own setting when it has one, else the administration's. */
export function reviewOf(relation: RelationFacts | null, admin: AdministrationFacts): boolean {
  return relation?.emailReview ?? admin.emailReview ?? false;
}

/** Where the recipients came from, for the message (the invoice's own list overrides the rest). */
export type RecipientOrigin = 'invoice' | 'relation';

export type DynamicsRecipients =
  | { kind: 'valid'; to: string[]; cc: string[]; bcc: string[]; origin: RecipientOrigin }
  | { kind: 'missing'; origin: RecipientOrigin }
  | { kind: 'invalid'; invalid: string; origin: RecipientOrigin };

/** Addresses in order, each once (compared without case), leaving out those already in `taken`. */
function distinct(addresses: string[], taken: ReadonlySet<string> = new Set()): string[] {
  const seen = new Set(taken);
  const out: string[] = [];
  for (const a of addresses) {
    const key = a.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

/**
 * The recipients of the Dynamics route: the invoice's `eol_recipients` when set; else the relation's
 * addresses, its account's contacts flagged "invoice recipient", and its invoice account's address. CC and
 * BCC are the administration's. Every address is checked; one that is not an address stops the invoice
 * (named), a flagged contact without an address is left out. Duplicates are dropped.
 */
export function dynamicsRecipients(
  invoice: Pick<InvoiceFacts, 'recipients'>,
  relation: RelationFacts,
  admin: AdministrationFacts,
): DynamicsRecipients {
  const own = splitAddresses(invoice.recipients);
  const origin: RecipientOrigin = own.length > 0 ? 'invoice' : 'relation';
  const listed =
    origin === 'invoice'
      ? own
      : [
          ...splitAddresses(relation.invoiceEmail),
          ...(relation.invoiceContacts ?? []).flatMap((c) => splitAddresses(c.email)),
          ...splitAddresses(relation.invoiceAccountEmail),
        ];
  const cc = splitAddresses(admin.emailCc);
  const bcc = splitAddresses(admin.emailBcc);
  const invalid = [...listed, ...cc, ...bcc].find((a) => !isValidEmail(a));
  if (invalid !== undefined) return { kind: 'invalid', invalid, origin };
  const to = distinct(listed);
  if (to.length === 0) return { kind: 'missing', origin };
  const inTo = new Set(to.map((a) => a.toLowerCase()));
  const ccs = distinct(cc, inTo);
  const bccs = distinct(bcc, new Set([...inTo, ...ccs.map((a) => a.toLowerCase())]));
  return { kind: 'valid', to, cc: ccs, bcc: bccs, origin };
}

/** `%n` in a template's subject is the invoice number (PRODUCT.md §12); every occurrence is replaced. */
export function withInvoiceNumber(subject: string, invoiceNumber: number | string | null): string {
  return subject.split('%n').join(invoiceNumber === null ? '' : String(invoiceNumber));
}

/** The mailbox the Dynamics route sends from, or null when the administration has none set. */
export function mailboxOf(admin: AdministrationFacts): string | null {
  return textOrNull(admin.mailboxId);
}

/** The recipients as the channel choice reads an address list: valid ones joined, else the bad one, else none. */
export function recipientsText(r: DynamicsRecipients): string | null {
  if (r.kind === 'valid') return r.to.join(';');
  return r.kind === 'invalid' ? r.invalid : null;
}

/** What a message says of the Dynamics route: Dynamics 365 sends, to these recipients. */
export function mailFacts(r: DynamicsRecipients): MessageFacts {
  const facts: MessageFacts = { route: 'dynamics', recipientOrigin: r.origin };
  if (r.kind === 'valid') {
    facts.address = r.to.join('; ');
    if (r.cc.length > 0) facts.cc = r.cc.join('; ');
  }
  return facts;
}

export function dynamicsPlan(
  r: Extract<DynamicsRecipients, { kind: 'valid' }>,
  relation: RelationFacts,
  admin: AdministrationFacts,
  mailboxId: string,
): DynamicsMailPlan {
  return {
    to: r.to,
    cc: r.cc,
    bcc: r.bcc,
    templateId: textOrNull(admin.emailTemplateId),
    mailboxId,
    review: reviewOf(relation, admin),
  };
}
