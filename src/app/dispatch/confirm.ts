/**
 * Step 2 — confirm: ONE Exact status call per administration for every invoice whose decision needs it,
 * right before printing. Invoice numbers of this instance's recent prints ride along where there is room.
 */
import { processedByUs } from '../../domain';
import { IntegrationError } from '../errors';
import type { ExactInvoiceState } from '../ports';
import { knownStatuses, rememberStatuses } from './reuse';
import type { Item, Run } from './types';

/** An Exact read made for several invoices before printing, or why the asked invoices cannot go on. */
export type ExactRead<T> =
  | ({ kind: 'confirmed'; asked: Set<string> } & T)
  /** Exact's daily budget is spent: the asked invoices wait for its reset. */
  | { kind: 'budgetExhausted'; at: Date; asked: Set<string> }
  /** A permanent fault before any print (connection lost, access refused): the asked invoices fail with it. */
  | { kind: 'refused'; error: IntegrationError; asked: Set<string> };

export type Confirmation = ExactRead<{ statuses: Map<string, ExactInvoiceState> }>;

/** Whether an item's dispatch needs Exact's status: its decision goes past rule 3, or its claim went stale. */
export function needsStatus(it: Item): boolean {
  return it.gate.kind === 'confirm' || (it.gate.kind === 'decide' && it.first.kind === 'needsExact');
}

export async function confirmInExact(run: Run, items: Item[]): Promise<Confirmation> {
  const now = run.deps.clock.now();
  const byDivision = new Map<number, Item[]>();
  for (const it of items.filter(needsStatus)) {
    byDivision.set(it.division, [...(byDivision.get(it.division) ?? []), it]);
  }
  const asked = new Set([...byDivision.values()].flat().map((it) => it.exactInvoiceId));
  return readOrSettle(run, asked, async () => {
    const statuses = new Map<string, ExactInvoiceState>();
    for (const [division, list] of byDivision) {
      for (const [id, state] of await statusesWithReadBacks(run, division, list, now))
        statuses.set(id, state);
    }
    return { statuses };
  });
}

/**
 * Whether an earlier read may answer for the item (decision 0155): only before its first print. A claim that
 * went stale, or an invoice the connector processed, is always asked of Exact: its status decides whether a
 * print went out.
 */
function mayReuse(it: Item): boolean {
  return it.gate.kind === 'decide' && it.entry.state !== 'sending' && !processedByUs(it.entry.state);
}

/**
 * Runs one pre-print read: a spent daily budget or a permanent fault settles the asked invoices instead of
 * throwing; a transient fault throws (the request comes back).
 */
export async function readOrSettle<T extends object>(
  run: Run,
  asked: Set<string>,
  read: () => Promise<T>,
): Promise<ExactRead<T>> {
  try {
    return { kind: 'confirmed', asked, ...(await read()) };
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    if (err.reason === 'daily_budget_exhausted' && err.retryAfterMs !== undefined) {
      return { kind: 'budgetExhausted', at: resetInstant(err, run.deps.clock.now()), asked };
    }
    if (err.transient) throw err;
    return { kind: 'refused', error: err, asked };
  }
}

async function statusesWithReadBacks(
  run: Run,
  division: number,
  list: Item[],
  now: Date,
): Promise<Map<string, ExactInvoiceState>> {
  // What an earlier read or one listing confirms needs no status call (decision 0155); numbers then wait for
  // the next status call or listing.
  const reusable = list.filter(mayReuse).map((it) => it.exactInvoiceId);
  const { known, rest } = await knownStatuses(run, division, reusable);
  const ask = [...list.filter((it) => !mayReuse(it)).map((it) => it.exactInvoiceId), ...rest];
  if (ask.length === 0) return known;
  const result = await statusesById(run, division, ask, now);
  for (const [id, state] of known) result.set(id, state);
  return result;
}

async function statusesById(
  run: Run,
  division: number,
  ids: string[],
  now: Date,
): Promise<Map<string, ExactInvoiceState>> {
  const { deps } = run;
  // Never one extra call per invoice, and no ledger query: the sweep reads back what is left.
  const room = deps.exact.statusesPerCall - ids.length;
  const pending = deps.awaiting.candidates(deps.tenant.tenantId, division, room, now);
  const found = await deps.exact.confirmStatuses(division, [
    ...new Set([...ids, ...pending.map((k) => k.invoiceId)]),
  ]);
  const result = new Map<string, ExactInvoiceState>();
  for (const [id, state] of found) result.set(id.toLowerCase(), state);
  rememberStatuses(run, division, result.values(), now);
  for (const key of pending) {
    const number = result.get(key.invoiceId)?.invoiceNumber;
    if (number == null) continue;
    deps.awaiting.forget(key);
    const entry = await deps.ledger.get(key);
    // Written along with this run's next row write (numbers.ts): no Dataverse request of its own.
    if (entry && processedByUs(entry.state) && entry.invoiceNumber === null)
      run.readBacks.push({ entry, invoiceNumber: number });
  }
  return result;
}

/** The instant a budget error names (`resetAt`), else now + its retry hint. */
export function resetInstant(err: IntegrationError, now: Date): Date {
  const named = (err as IntegrationError & { resetAt?: unknown }).resetAt;
  return named instanceof Date ? named : new Date(now.getTime() + (err.retryAfterMs ?? 0));
}
