/**
 * Step 2's reads, answered from what Exact said a moment ago where that still holds (decision 0155):
 * - an invoice's open status from a read ≤ `ExactInvoiceReuseMs` ago, when the division is subscribed to
 *   Exact's SalesInvoices webhook and none came for it since;
 * - when some are not known, ONE listing of the administration's open invoices (the bulk endpoint, one page)
 *   confirms them and the ones whose events come next;
 * - an account from a read ≤ `ExactAccountReuseMs` ago, when the division is subscribed to Accounts.
 * Without `deps.recent` (no Exact webhooks) nothing is reused and every read is made as before.
 */
import type { ExactAccount } from '../masterData/ports';
import type { ExactInvoiceState } from '../ports';
import { ACCOUNT_TOPIC, INVOICE_TOPIC } from '../recentReads';
import type { Run } from './types';

/** The bulk endpoint's page: a listing stops after it, so it costs one call. */
const LISTING_ROWS = 1000;

/** The change log, asked once per administration and run. */
export function settled(run: Run, division: number): Promise<Set<string>> {
  const recent = run.deps.recent;
  if (!recent) return Promise.resolve(new Set());
  run.settled ??= new Map();
  let topics = run.settled.get(division);
  if (!topics) run.settled.set(division, (topics = recent.settle(division)));
  return topics;
}

/**
 * States of `ids` that need no status call: remembered ones (marked reused), then a listing's. Returns them and
 * the ids still to ask by id (a draft, one created after the listing).
 */
export async function knownStatuses(
  run: Run,
  division: number,
  ids: string[],
): Promise<{ known: Map<string, ExactInvoiceState>; rest: string[] }> {
  const recent = run.deps.recent;
  const known = new Map<string, ExactInvoiceState>();
  if (!recent || !(await settled(run, division)).has(INVOICE_TOPIC)) return { known, rest: ids };
  run.reused ??= new Set();
  for (const id of ids) {
    const s = recent.invoice(division, id);
    if (s && s.status === 20) {
      known.set(id, s);
      run.reused.add(id);
    }
  }
  let rest = ids.filter((id) => !known.has(id));
  if (rest.length > 0 && !recent.listedRecently(division)) {
    const readAt = run.deps.clock.now();
    const listed: ExactInvoiceState[] = [];
    for await (const s of run.deps.exact.listOpenInvoices(division)) {
      listed.push(s);
      if (listed.length >= LISTING_ROWS) break;
    }
    // Beyond one page the rest are asked by id until the next listing: one listing per reuse time either way.
    recent.rememberInvoices(division, listed, readAt, true);
    const byId = new Map(listed.map((s) => [s.invoiceId.toLowerCase(), s]));
    for (const id of rest) {
      const s = byId.get(id);
      if (s) known.set(id, s);
    }
    rest = rest.filter((id) => !known.has(id));
  }
  return { known, rest };
}

/** Remembers what a status call by id answered. */
export function rememberStatuses(
  run: Run,
  division: number,
  states: Iterable<ExactInvoiceState>,
  at: Date,
): void {
  run.deps.recent?.rememberInvoices(division, states, at);
}

/** Exact's accounts `ids`: remembered ones while Accounts webhooks hold them, the rest read (one call). */
export async function accountsOf(
  run: Run,
  division: number,
  ids: string[],
): Promise<Map<string, ExactAccount>> {
  const source = run.deps.masterData;
  if (!source) return new Map();
  const recent = run.deps.recent;
  const out = new Map<string, ExactAccount>();
  if (recent && (await settled(run, division)).has(ACCOUNT_TOPIC)) {
    for (const id of ids) {
      const a = recent.account(division, id);
      if (a) out.set(id, a);
    }
  }
  const missing = ids.filter((id) => !out.has(id));
  if (missing.length === 0) return out;
  const readAt = run.deps.clock.now();
  const read = await source.accounts(division, missing);
  recent?.rememberAccounts(division, read.values(), readAt);
  for (const [id, a] of read) out.set(id, a);
  return out;
}
