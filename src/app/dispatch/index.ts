/**
 * Dispatching the invoices of one request (a Dataverse event, a sweep batch, a person's batch), as a story:
 * load → confirm → receivers → decide → claim → print → record → write back → notify. Each step is a file here.
 */
import type { RowsRequest } from '../ports';
import { retryLater } from '../requests';
import { confirmInExact, type ExactRead } from './confirm';
import { readReceivers } from './receivers';
import { dispatchItem } from './decide';
import { loadItems } from './load';
import { withInvoiceContacts } from './contacts';
import { notifyFailures } from './notify';
import { record } from './record';
import { writeAlong } from './numbers';
import { RetryLaterError, type DispatchDeps, type DispatchLine, type Item, type Run } from './types';

export async function dispatchInvoices(deps: DispatchDeps, request: RowsRequest): Promise<DispatchLine[]> {
  const now = deps.clock.now();
  const run: Run = {
    deps,
    request,
    licence: await deps.tenant.licence(now),
    lang: await deps.tenant.language(),
    failures: [],
    peppolAdopted: new Set(),
    readBacks: [],
  };
  try {
    return await steps(run);
  } catch (err) {
    // Numbers read back but not written yet: the next status call of this instance asks for them again.
    for (const r of run.readBacks.splice(0)) deps.awaiting.note(r.entry.key, deps.clock.now());
    throw err;
  }
}

async function steps(run: Run): Promise<DispatchLine[]> {
  const { deps, request } = run;
  const loaded = await loadItems(run);
  const items = await withInvoiceContacts(run, loaded.items);
  const skipped = loaded.skipped;
  const lines = [...skipped];
  const confirmation = await confirmInExact(run, items);
  const confirmed = await settleUnconfirmed(run, items, confirmation, lines);
  const statuses = confirmation.kind === 'confirmed' ? confirmation.statuses : new Map();
  const reached = await readReceivers(run, confirmed, statuses);
  const decidable = await settleUnconfirmed(run, confirmed, reached, lines);
  const known = { statuses, receivers: reached.kind === 'confirmed' ? reached.receivers : new Map() };
  for (let i = 0; i < decidable.length; i++) {
    try {
      lines.push(logged(run, await dispatchItem(run, decidable[i]!, known)));
    } catch (err) {
      if (!(err instanceof RetryLaterError)) throw err;
      // This invoice and the ones after it come back later, in one message.
      const rest = decidable.slice(i).map((it) => it.ctx.invoice.rowId);
      await retryLater({ queue: deps.queue, now: deps.clock.now() }, request, err.at, rest);
      break;
    }
  }
  // Numbers read back with no row write of this run to ride along: one request for them all.
  await writeAlong(run, null);
  await notifyFailures(deps.notifier, run.failures);
  return lines;
}

/**
 * When Exact could not confirm (daily budget spent, a permanent fault), the invoices that needed it are
 * settled with that cause; the others go on. Returns the items still to dispatch.
 */
async function settleUnconfirmed(
  run: Run,
  items: Item[],
  c: ExactRead<object>,
  lines: DispatchLine[],
): Promise<Item[]> {
  if (c.kind === 'confirmed') return items;
  const waiting = items.filter((it) => c.asked.has(it.exactInvoiceId) && it.entry.state !== 'sending');
  for (const it of waiting) {
    const outcome =
      c.kind === 'budgetExhausted'
        ? ({
            event: 'budgetExhausted',
            state: 'scheduled',
            reason: 'daily_budget_exhausted',
            facts: { when: c.at.toISOString() },
            channel: null,
            scheduledFor: c.at,
          } as const)
        : ({
            event: 'decidedFail',
            state: 'failed',
            reason: c.error.reason,
            facts: { detail: c.error.message },
            channel: null,
            scheduledFor: null,
          } as const);
    lines.push(logged(run, await record(run, it, outcome)));
  }
  if (c.kind === 'budgetExhausted') {
    const rows = waiting.map((it) => it.ctx.invoice.rowId);
    await retryLater({ queue: run.deps.queue, now: run.deps.clock.now() }, run.request, c.at, rows);
  }
  // What rules 1–3 decided, and stored outcomes, need nothing from Exact.
  return items.filter((it) => !c.asked.has(it.exactInvoiceId));
}

function logged(run: Run, line: DispatchLine): DispatchLine {
  run.deps.log(line);
  return line;
}

export { writeWithNumbers } from './numbers';
export type { TenantContext, DispatchLine, DispatchDeps } from './types';
