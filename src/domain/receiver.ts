/**
 * What Exact Online will send with (PRODUCT.md §11, decision 0070): `PrintedSalesInvoices` has no recipient
 * field, so Exact sends to what its own records hold. Read right before printing and decided on, so the
 * decision checks — and the message names — what Exact will use, never the addresses Dynamics shows.
 */
import { textOrNull } from './addresses';
import type { Channel, ExactReceiver, MessageFacts, RelationFacts } from './types';

export type { ExactReceiver, RecipientSource } from './types';

/** The email fields of the invoice's contact person and of its account, as Exact holds them. */
export interface RecipientInputs {
  account: { email: string | null };
  contact: { email: string | null; name: string | null } | null;
}

/**
 * The rule (decision 0070, to be confirmed in a real administration): the `Email` of the invoice's
 * `InvoiceToContactPerson` when it has one, otherwise the InvoiceTo account's `Email`. One value either way.
 */
export function exactEmailRecipient(
  inputs: RecipientInputs,
): Pick<ExactReceiver, 'email' | 'emailFrom' | 'contactName'> {
  const contactEmail = textOrNull(inputs.contact?.email);
  if (inputs.contact && contactEmail !== null) {
    return { email: contactEmail, emailFrom: 'contactPerson', contactName: textOrNull(inputs.contact.name) };
  }
  return { email: textOrNull(inputs.account.email), emailFrom: 'account', contactName: null };
}

/**
 * The relation as Exact will send to it: method, email and Peppol id from Exact's records. A relation without
 * a method takes its invoice account's (a person invoiced through their company); the administration's default
 * comes after that, in `resolveMethod`.
 */
export function asExactHasIt(relation: RelationFacts, receiver: ExactReceiver): RelationFacts {
  const method = receiver.method ?? receiver.invoiceAccount?.method ?? null;
  return {
    ...relation,
    invoiceMethod: method as RelationFacts['invoiceMethod'],
    invoiceEmail: receiver.email,
    peppolId: receiver.peppolId,
    kvk: receiver.kvk ?? null,
    oin: receiver.oin ?? null,
    vatNumber: receiver.vatNumber ?? null,
  };
}

/**
 * The relation as last synced, when Exact was not read: without a method of its own it takes its invoice
 * account's (`eol_invoiceaccountid`), as Exact does.
 */
export function asMirrored(relation: RelationFacts): RelationFacts {
  if (relation.invoiceMethod != null || relation.invoiceAccountMethod == null) return relation;
  return { ...relation, invoiceMethod: relation.invoiceAccountMethod };
}

/** Exact mails one address: a list in its field is refused at print time (decision 0070, CHOICE). */
export function oneAddress(addresses: readonly string[]): boolean {
  return addresses.length === 1;
}

/** The message facts that say what Exact will send to: the recipients it names, and where they come from. */
export function receiverFacts(
  receiver: ExactReceiver,
  channel: Channel | null,
): Pick<MessageFacts, 'address' | 'recipientSource' | 'contact' | 'inheritedFrom'> {
  const facts: Pick<MessageFacts, 'address' | 'recipientSource' | 'contact' | 'inheritedFrom'> = {};
  if (receiver.method === null && receiver.invoiceAccount?.method != null) {
    const name = textOrNull(receiver.invoiceAccount.name);
    if (name !== null) facts.inheritedFrom = name;
  }
  if (channel === 'email') {
    facts.recipientSource = receiver.emailFrom;
    if (receiver.email !== null) facts.address = receiver.email;
    if (receiver.contactName !== null) facts.contact = receiver.contactName;
  }
  if (channel === 'peppol' && receiver.peppolId !== null) {
    facts.recipientSource = 'account';
    facts.address = receiver.peppolId;
  }
  return facts;
}
