/** The in-process (and control API) views on master data and recipients; not part of Exact's protocol. */
import { guid, touch, type Store } from './store';
import type { ExactSeedAccount, PrintRecord, RecipientRecord, SandboxAccount } from './types';

export function recipientsOf(outbox: PrintRecord[]): RecipientRecord[] {
  return outbox.map((p) => ({
    division: p.division,
    invoiceId: p.invoiceId,
    channel: p.channel,
    recipients: [...p.recipients],
    recipientRule: p.recipientRule,
    recipientAccount: p.recipientAccount,
    recipientContact: p.recipientContact,
    sent: p.sent,
    error: p.error,
    at: p.at,
  }));
}

/**
 * A change made by a user in Exact's UI: no validation, Modified and Timestamp bumped, the Accounts webhook
 * raised (Update; Create when an unknown id with a `Name` inserts the account, a new relation in Exact).
 */
export function editAccount(
  store: Store,
  division: number,
  id: string,
  fields: Partial<ExactSeedAccount>,
  now: number,
): void {
  const div = store.divisions.get(division);
  if (!div) throw new Error(`no division ${division}`);
  const key = guid(id);
  let account = div.accounts.get(key);
  const action = account ? 'Update' : 'Create';
  if (!account) {
    if (!fields.Name) throw new Error(`no account ${key} in division ${division}`);
    account = { ID: key, Name: fields.Name, Status: 'C', Created: now, Modified: now, Timestamp: 0n };
    div.accounts.set(key, account);
  }
  const ref = (v: string | null | undefined) => (v ? guid(v) : v);
  Object.assign(account, fields, { ID: key });
  if ('InvoiceAccount' in fields) account.InvoiceAccount = ref(fields.InvoiceAccount);
  if ('MainContact' in fields) account.MainContact = ref(fields.MainContact);
  touch(div, account, now);
  store.onAccountChange(division, key, action);
}

/** JSON-safe copy of an account (the Timestamp as a decimal string). */
export function accountJson(a: SandboxAccount): Record<string, unknown> {
  return { ...a, Timestamp: a.Timestamp.toString() };
}
