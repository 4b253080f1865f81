/**
 * Step 6–7 — record and write back: the ledger first (the truth), then the Dataverse row, then the
 * writeback marked done. A crash between the two leaves `writebackPending`, which the next delivery or
 * the sweep repairs. An unchanged outcome writes nothing anywhere, and its message stays what it was.
 */
import {
  boundFacts,
  processedByUs,
  explain,
  mustNotify,
  nextState,
  notifiedAfter,
  outcomeChanges,
  rowStatusOf,
  writebackDue,
} from '../../domain';
import { type Channel, type MessageFacts } from '../../domain/types';
import { LedgerConflictError, type LedgerEntry } from '../ports';
import { writeAlong } from './numbers';
import type { DispatchLine, Item, Outcome, Run } from './types';

const HISTORY_LIMIT = 20;

export type RecordItem = Pick<Item, 'ctx' | 'exactInvoiceId' | 'division' | 'entry'>;

export async function record(run: Run, it: RecordItem, outcome: Outcome): Promise<DispatchLine> {
  const entry = it.entry;
  if (outcome.event !== null && nextState(entry.state, outcome.event) !== outcome.state) {
    throw new Error(`ledger life cycle: ${outcome.event} cannot move ${entry.state} to ${outcome.state}`);
  }
  const facts =
    outcome.event === null
      ? outcome.facts
      : boundFacts({ ...baseFacts(it, outcome.channel), ...outcome.facts });
  const next = { ...outcome, facts };
  // An entry written before facts were kept has only its message: it is shown as it was.
  const message =
    outcome.event === null && entry.facts === null && entry.message
      ? entry.message
      : explain(next.reason, facts, run.lang);
  const changed = outcomeChanges(entry, next);
  const notify = mustNotify(next, entry.notifiedReason);
  let current = entry;
  if (changed || notify) {
    try {
      current = await run.deps.ledger.update(entry, ledgerPatch(run, entry, next, message));
    } catch (err) {
      if (err instanceof LedgerConflictError)
        return lineOf(run, it, 'busy', null, 'busy', 'another worker changed this invoice');
      throw err;
    }
  }
  current = await writeBack(run, it, current, next, message, changed);
  if (processedByUs(next.state) && current.invoiceNumber === null)
    run.deps.awaiting.note(current.key, run.deps.clock.now());
  if (notify && it.ctx.administration) {
    run.failures.push({
      administration: it.ctx.administration,
      invoice: it.ctx.invoice,
      exactInvoiceId: it.exactInvoiceId,
      reason: next.reason,
      message,
    });
  }
  return lineOf(run, it, next.state, next.channel, next.reason, message);
}

function ledgerPatch(run: Run, entry: LedgerEntry, next: Outcome, message: string) {
  return {
    state: next.state,
    reason: next.reason,
    facts: next.facts,
    message,
    channel: next.channel,
    leaseUntil: null,
    sentOn: next.sentOn ?? entry.sentOn,
    scheduledFor: next.scheduledFor,
    invoiceNumber: next.invoiceNumber ?? entry.invoiceNumber,
    ...(next.attempts === undefined ? {} : { attempts: next.attempts }),
    ...(next.mail === undefined ? {} : { mail: next.mail }),
    writebackPending: true,
    notifiedReason: notifiedAfter(next, entry.notifiedReason),
    history: [
      ...entry.history,
      {
        at: run.deps.clock.now().toISOString(),
        outcome: next.state,
        reason: next.reason,
        detail: next.facts.detail,
      },
    ].slice(-HISTORY_LIMIT),
  };
}

async function writeBack(
  run: Run,
  it: RecordItem,
  current: LedgerEntry,
  next: Outcome,
  message: string,
  changed: boolean,
): Promise<LedgerEntry> {
  const row = it.ctx.invoice;
  // The ledger's states and eol_dispatchstatus share their names (PRODUCT.md §2).
  const status = rowStatusOf(next.state);
  const shown = { status: row.dispatchStatus, reason: row.dispatchReason, resend: row.resend };
  if (!writebackDue(changed, current.writebackPending, shown, { status, reason: next.reason, resend: false }))
    return current;
  await writeAlong(run, {
    rowId: row.rowId,
    update: {
      status,
      channel: next.channel,
      reason: next.reason,
      message,
      scheduledFor: next.scheduledFor,
      sentOn: current.sentOn,
      attempts: current.attempts,
      invoiceNumber: current.invoiceNumber ?? undefined,
      clearResend: row.resend,
      // The row links the email that carries it, once the email exists (Dynamics route).
      ...(current.mail?.prepared && row.emailId !== current.mail.emailId
        ? { emailId: current.mail.emailId }
        : {}),
    },
  });
  if (!current.writebackPending) return current;
  try {
    return await run.deps.ledger.update(current, { writebackPending: false });
  } catch (err) {
    // Another worker moved on meanwhile; its own writeback follows.
    if (err instanceof LedgerConflictError) return current;
    throw err;
  }
}

/** What every message may name about the invoice, under the outcome's own facts. */
function baseFacts(it: RecordItem, channel: Channel | null): MessageFacts {
  const row = it.ctx.invoice;
  const facts: MessageFacts = {
    division: it.division,
    invoice: row.invoiceNumber ? String(row.invoiceNumber) : (row.name ?? it.exactInvoiceId),
  };
  const relation = it.ctx.relation?.name ?? row.name;
  if (relation) facts.relation = relation;
  if (it.ctx.administration?.name) facts.administration = it.ctx.administration.name;
  if (channel) facts.channel = channel;
  return facts;
}

export function lineOf(
  run: Run,
  it: Pick<Item, 'ctx' | 'exactInvoiceId' | 'division'>,
  outcome: DispatchLine['outcome'],
  channel: Channel | null,
  reason: string,
  message: string,
): DispatchLine {
  const row = it.ctx.invoice;
  return {
    tenantId: run.deps.tenant.tenantId,
    division: it.division,
    invoiceId: it.exactInvoiceId,
    invoice: row.invoiceNumber ? String(row.invoiceNumber) : (row.name ?? it.exactInvoiceId),
    relation: it.ctx.relation?.name ?? '',
    outcome,
    channel,
    reason,
    message,
  };
}
