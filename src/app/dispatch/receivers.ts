/**
 * Step 2b — receivers: what Exact will send with, read right before printing (PRODUCT.md §11, decision 0070).
 * ONE accounts read per administration for the batch's distinct InvoiceTo accounts; a second only for invoice
 * accounts whose method is inherited, a contacts read only when an invoice names a contact person who may be
 * mailed. Never one call per invoice.
 */
import { exactEmailRecipient, stopsBeforeChannel, type ExactReceiver } from '../../domain';
import { factsOf } from './load';
import type { ExactAccount, ExactContact } from '../masterData/ports';
import type { ExactInvoiceState } from '../ports';
import { readOrSettle, type ExactRead } from './confirm';
import { accountsOf } from './reuse';
import type { Item, Run } from './types';
import { writeBackEdits } from './writeBack';

export type ReceiverRead = ExactRead<{ receivers: Map<string, ExactReceiver> }>;

/** Whether the item's decision goes on to the channel rules: rules 1–8 let it through (open in Exact, …). */
function needsReceiver(
  run: Run,
  it: Item,
  state: Pick<ExactInvoiceState, 'status' | 'creditNote'> | undefined,
): boolean {
  if (it.gate.kind !== 'decide' && it.gate.kind !== 'confirm') return false;
  if (it.first.kind !== 'needsExact' || state === undefined) return false;
  const facts = factsOf(it);
  const input = {
    ...facts,
    licence: run.licence,
    now: run.deps.clock.now(),
    invoice: { ...facts.invoice, exactStatus: state.status, creditNote: state.creditNote },
  };
  return stopsBeforeChannel(input, it.first.administration) === null;
}

/** Accounts asked for while the status call runs, per administration (decision 0151). */
interface Guessed {
  asked: Set<string>;
  read: Promise<Map<string, ExactAccount>>;
}
export type AccountGuess = Map<number, Guessed>;

/**
 * Starts the accounts read at the same time as the status call: the accounts the relations mirror, for the
 * invoices that would reach the channel rules if Exact confirms them open. One call per administration, as
 * before; it saves a round trip before printing. A fault is met where the guess is awaited (readReceivers).
 */
export function guessAccounts(run: Run, items: Item[]): AccountGuess {
  const out: AccountGuess = new Map();
  const source = run.deps.masterData;
  if (!source) return out;
  const byDivision = new Map<number, string[]>();
  for (const it of items) {
    const account = it.ctx.relation?.exactAccountId;
    if (!account || !needsReceiver(run, it, { status: 20, creditNote: false })) continue;
    byDivision.set(it.division, [...(byDivision.get(it.division) ?? []), account]);
  }
  for (const [division, ids] of byDivision) {
    const asked = distinct(ids);
    const read = accountsOf(run, division, asked);
    read.catch(() => undefined);
    out.set(division, { asked: new Set(asked), read });
  }
  return out;
}

export async function readReceivers(
  run: Run,
  items: Item[],
  statuses: Map<string, ExactInvoiceState>,
  guess: AccountGuess = new Map(),
): Promise<ReceiverRead> {
  const byDivision = new Map<number, Asked[]>();
  for (const it of items) {
    const state = statuses.get(it.exactInvoiceId);
    if (state && needsReceiver(run, it, state))
      byDivision.set(it.division, [...(byDivision.get(it.division) ?? []), { it, state }]);
  }
  const asked = new Set([...byDivision.values()].flat().map((a) => a.it.exactInvoiceId));
  return readOrSettle(run, asked, async () => {
    const receivers = new Map<string, ExactReceiver>();
    for (const [division, list] of byDivision) {
      for (const [id, r] of await receiversOf(run, division, list, guess.get(division))) receivers.set(id, r);
    }
    return { receivers };
  });
}

/** An invoice whose decision needs Exact's account, with the state Exact gave. */
interface Asked {
  it: Item;
  state: ExactInvoiceState;
}

async function receiversOf(
  run: Run,
  division: number,
  list: Asked[],
  guessed: Guessed | undefined,
): Promise<Map<string, ExactReceiver>> {
  const source = run.deps.masterData;
  if (!source) return new Map();
  const states = list.map((a) => a.state);
  const wanted = distinct(states.map((s) => s.invoiceTo));
  // The guess holds the relations' accounts; Exact's InvoiceTo decides, and one the guess missed is read now.
  const known = guessed ? await guessed.read : new Map<string, ExactAccount>();
  const accounts = new Map([...known].filter(([id]) => wanted.includes(id)));
  // Only what the guess did not ask: an account Exact did not return is not asked for twice.
  const missing = wanted.filter((id) => !guessed?.asked.has(id));
  if (missing.length > 0) for (const [id, a] of await accountsOf(run, division, missing)) accounts.set(id, a);
  const inherited = [...accounts.values()]
    .filter((a) => a.invoicingMethod === null && a.invoiceAccount !== null)
    .map((a) => a.invoiceAccount as string)
    .filter((id) => !accounts.has(id));
  if (inherited.length > 0)
    for (const [id, a] of await accountsOf(run, division, distinct(inherited))) accounts.set(id, a);
  await writeBackAll(run, division, list, accounts);
  const mailed = states.filter((s) => mayMail(accounts, s)).map((s) => s.invoiceToContactPerson as string);
  const contacts = mailed.length > 0 ? await source.contacts(division, distinct(mailed)) : new Map();
  const result = new Map<string, ExactReceiver>();
  for (const s of states) {
    const account = accounts.get(s.invoiceTo.toLowerCase());
    if (account) result.set(s.invoiceId.toLowerCase(), receiverOf(account, accounts, contacts, s));
  }
  return result;
}

/** Dynamics edits of the batch's relations written to Exact first, once per account (see writeBack.ts). */
async function writeBackAll(
  run: Run,
  division: number,
  list: Asked[],
  accounts: Map<string, ExactAccount>,
): Promise<void> {
  const done = new Set<string>();
  for (const { it, state } of list) {
    const id = state.invoiceTo.toLowerCase();
    const account = accounts.get(id);
    const relation = it.ctx.relation;
    if (!account || !relation || done.has(id) || relation.exactAccountId.toLowerCase() !== id) continue;
    done.add(id);
    const now = run.deps.clock.now();
    const after = await writeBackEdits(run, division, relation, account);
    // What the edit made of it; Exact's webhook for the edit drops it again (decision 0155).
    if (after !== account) run.deps.recent?.rememberAccounts(division, [after], now);
    accounts.set(id, after);
  }
}

/** An invoice with a contact person whose account may be invoiced by email (email, automatic, or not set). */
function mayMail(accounts: Map<string, ExactAccount>, s: ExactInvoiceState): boolean {
  if (!s.invoiceToContactPerson) return false;
  const account = accounts.get(s.invoiceTo.toLowerCase());
  if (!account) return false;
  const method = account.invoicingMethod ?? accountMethod(accounts, account.invoiceAccount);
  return method === null || method === 0 || method === 2;
}

const accountMethod = (accounts: Map<string, ExactAccount>, id: string | null): number | null =>
  id === null ? null : (accounts.get(id)?.invoicingMethod ?? null);

function receiverOf(
  account: ExactAccount,
  accounts: Map<string, ExactAccount>,
  contacts: Map<string, ExactContact>,
  s: ExactInvoiceState,
): ExactReceiver {
  const payer = account.invoiceAccount ? accounts.get(account.invoiceAccount) : undefined;
  const contact = s.invoiceToContactPerson ? contacts.get(s.invoiceToContactPerson.toLowerCase()) : undefined;
  return {
    accountId: account.id,
    accountName: account.name,
    method: account.invoicingMethod,
    invoiceAccount: payer ? { name: payer.name, method: payer.invoicingMethod } : null,
    ...exactEmailRecipient({ account, contact: contact ?? null }),
    peppolId: account.peppolId,
    kvk: account.kvk,
    oin: account.oin,
    vatNumber: account.vatNumber,
  };
}

const distinct = (ids: string[]): string[] => [...new Set(ids.map((id) => id.toLowerCase()))];
