/**
 * Where Exact sends an invoice printed with `SendEmailToCustomer` (decision 0070's proposed rule, a CHOICE
 * until a real administration confirms it): one table, run against the sandbox's resolver
 * (sandbox/exact/recipients.ts, test/contract/exactRecipients.test.ts) and against the connector's own.
 * Each case is the state at print time as the connector reads it: the InvoiceTo account
 * (`crm/Accounts`: Email, MainContact), its contacts (`crm/Contacts`: Email) and the invoice's
 * `InvoiceToContactPerson` (the confirm read). The main contact only matters when an invoice is created
 * without a contact person (Exact then fills it in); at print time it is never a fallback.
 */

export type RecipientRule = 'contactPerson' | 'account';

export interface ExactRecipientCase {
  name: string;
  account: { id: string; email: string | null; mainContact: string | null };
  contacts: { id: string; email: string | null }[];
  invoiceToContactPerson: string | null;
  expected:
    | { recipients: [string]; rule: RecipientRule; contact: string | null }
    | { error: 'missing' | 'invalid'; rule: RecipientRule; contact: string | null };
}

const ACCOUNT = 'aaaaaaaa-0000-0000-0000-000000000001';
const MAIN = 'cccccccc-0000-0000-0000-000000000001';
const OTHER = 'cccccccc-0000-0000-0000-000000000002';
const GONE = 'cccccccc-0000-0000-0000-0000000000ff';

const account = (email: string | null, mainContact: string | null = MAIN) => ({
  id: ACCOUNT,
  email,
  mainContact,
});
const contacts = (main: string | null, other: string | null = 'inkoop@hoek.test') => [
  { id: MAIN, email: main },
  { id: OTHER, email: other },
];

export const EXACT_RECIPIENT_CASES: readonly ExactRecipientCase[] = [
  {
    name: "the invoice's contact person has an e-mail that differs from the account's: the contact's",
    account: account('factuur@hoek.test'),
    contacts: contacts('eigenaar@hoek.test'),
    invoiceToContactPerson: OTHER,
    expected: { recipients: ['inkoop@hoek.test'], rule: 'contactPerson', contact: OTHER },
  },
  {
    name: 'the contact person is the main contact (Exact filled it at creation): the main contact',
    account: account('factuur@hoek.test'),
    contacts: contacts('eigenaar@hoek.test'),
    invoiceToContactPerson: MAIN,
    expected: { recipients: ['eigenaar@hoek.test'], rule: 'contactPerson', contact: MAIN },
  },
  {
    name: 'no contact person on the invoice: the account e-mail, even with a main contact that has one',
    account: account('factuur@hoek.test'),
    contacts: contacts('eigenaar@hoek.test'),
    invoiceToContactPerson: null,
    expected: { recipients: ['factuur@hoek.test'], rule: 'account', contact: null },
  },
  {
    name: 'no contact person and no account e-mail: missing, the main contact is no fallback',
    account: account(null),
    contacts: contacts('eigenaar@hoek.test'),
    invoiceToContactPerson: null,
    expected: { error: 'missing', rule: 'account', contact: null },
  },
  {
    name: 'the contact person has no e-mail: the account e-mail',
    account: account('factuur@hoek.test'),
    contacts: contacts(null),
    invoiceToContactPerson: MAIN,
    expected: { recipients: ['factuur@hoek.test'], rule: 'account', contact: null },
  },
  {
    name: "the contact person's e-mail is blank: the account e-mail",
    account: account('factuur@hoek.test'),
    contacts: contacts('   '),
    invoiceToContactPerson: MAIN,
    expected: { recipients: ['factuur@hoek.test'], rule: 'account', contact: null },
  },
  {
    name: 'the contact person no longer exists in Exact: the account e-mail',
    account: account('factuur@hoek.test'),
    contacts: contacts('eigenaar@hoek.test'),
    invoiceToContactPerson: GONE,
    expected: { recipients: ['factuur@hoek.test'], rule: 'account', contact: null },
  },
  {
    name: "the contact person's e-mail is not an address: invalid, no fallback to the account",
    account: account('factuur@hoek.test'),
    contacts: contacts('eigenaar@'),
    invoiceToContactPerson: MAIN,
    expected: { error: 'invalid', rule: 'contactPerson', contact: MAIN },
  },
  {
    name: "the contact person's e-mail is a list: invalid",
    account: account('factuur@hoek.test'),
    contacts: contacts('eigenaar@hoek.test; inkoop@hoek.test'),
    invoiceToContactPerson: MAIN,
    expected: { error: 'invalid', rule: 'contactPerson', contact: MAIN },
  },
  {
    name: 'the account e-mail is a ;-list (two addresses in one field): invalid',
    account: account('factuur@hoek.test;eigenaar@hoek.test', null),
    contacts: [],
    invoiceToContactPerson: null,
    expected: { error: 'invalid', rule: 'account', contact: null },
  },
  {
    name: 'the account e-mail is a ,-list: invalid',
    account: account('factuur@hoek.test, eigenaar@hoek.test', null),
    contacts: [],
    invoiceToContactPerson: null,
    expected: { error: 'invalid', rule: 'account', contact: null },
  },
  {
    name: 'the account e-mail is text, not an address: invalid',
    account: account('geen mail', null),
    contacts: [],
    invoiceToContactPerson: null,
    expected: { error: 'invalid', rule: 'account', contact: null },
  },
  {
    name: 'the account e-mail has spaces around it: the trimmed address',
    account: account('  factuur@hoek.test ', null),
    contacts: [],
    invoiceToContactPerson: null,
    expected: { recipients: ['factuur@hoek.test'], rule: 'account', contact: null },
  },
  {
    name: 'neither the contact person nor the account has an e-mail: missing',
    account: account('', MAIN),
    contacts: contacts(null, null),
    invoiceToContactPerson: MAIN,
    expected: { error: 'missing', rule: 'account', contact: null },
  },
];
