import { explain } from '../domain';
import {
  DISPATCH_STATUS,
  type Channel,
  type DispatchStatus,
  type Language,
  type MessageFacts,
} from '../domain/types';
import type { ReasonCode } from '../domain/reasons';
import type { DispatchDeps, DispatchLine } from './dispatch';
import {
  LedgerConflictError,
  type FailureNotice,
  type InvoiceContext,
  type LedgerEntry,
  type LedgerState,
} from './ports';

/** The final (or scheduled) state an invoice settles in after a decision or a print. */
export interface Outcome {
  state: Exclude<LedgerState, 'sending' | 'waiting'>;
  reason: ReasonCode;
  facts: MessageFacts;
  channel: Channel | null;
  sentOn?: Date;
  scheduledFor?: Date;
  invoiceNumber?: number | null;
}

interface SettleItem {
  ctx: InvoiceContext;
  exactInvoiceId: string;
  division: number;
}

const STATUS_OF: Record<Outcome['state'], DispatchStatus> = {
  scheduled: DISPATCH_STATUS.scheduled,
  sent: DISPATCH_STATUS.sent,
  ignored: DISPATCH_STATUS.ignored,
  failed: DISPATCH_STATUS.failed,
  optedOut: DISPATCH_STATUS.optedOut,
};

const HISTORY_LIMIT = 20;

/**
 * Records an outcome: ledger first (the truth), then the Dataverse writeback, then marks the writeback done.
 * A crash between the two leaves `writebackPending`, which the next delivery or the sweep repairs.
 * Unchanged outcomes write nothing, so repeated events cost no Dataverse calls.
 */
export async function settle(
  deps: DispatchDeps,
  it: SettleItem,
  entry: LedgerEntry,
  outcome: Outcome,
  lang: Language,
  forceWriteback = false,
  failures?: FailureNotice[],
): Promise<DispatchLine> {
  const now = deps.clock.now();
  const row = it.ctx.invoice;
  const facts: MessageFacts = {
    relation: it.ctx.relation?.name ?? row.name ?? undefined,
    administration: it.ctx.administration?.name,
    division: it.division,
    invoice: row.invoiceNumber ? String(row.invoiceNumber) : (row.name ?? it.exactInvoiceId),
    channel: outcome.channel ?? undefined,
    ...outcome.facts,
  };
  const message = explain(outcome.reason, facts, lang);
  const changed =
    entry.state !== outcome.state ||
    entry.reason !== outcome.reason ||
    entry.message !== message ||
    entry.leaseUntil !== null ||
    (entry.scheduledFor?.getTime() ?? null) !== (outcome.scheduledFor?.getTime() ?? null);
  const mustNotify = outcome.state === 'failed' && entry.notifiedReason !== outcome.reason;

  let current = entry;
  if (changed || mustNotify) {
    try {
      current = await deps.ledger.update(entry, {
        state: outcome.state,
        reason: outcome.reason,
        message,
        channel: outcome.channel,
        leaseUntil: null,
        sentOn: outcome.sentOn ?? entry.sentOn,
        scheduledFor: outcome.scheduledFor ?? null,
        invoiceNumber: outcome.invoiceNumber ?? entry.invoiceNumber,
        rowId: row.rowId,
        writebackPending: true,
        notifiedReason:
          outcome.state === 'failed'
            ? outcome.reason
            : outcome.state === 'sent'
              ? null
              : entry.notifiedReason,
        history: [
          ...entry.history,
          {
            at: now.toISOString(),
            outcome: outcome.state,
            reason: outcome.reason,
            detail: outcome.facts.detail,
          },
        ].slice(-HISTORY_LIMIT),
      });
    } catch (err) {
      if (err instanceof LedgerConflictError)
        return line(deps, it, 'busy', null, 'busy', 'another worker changed this invoice');
      throw err;
    }
  }

  const status = STATUS_OF[outcome.state];
  const rowDiffers = row.dispatchStatus !== status || row.dispatchReason !== outcome.reason || row.resend;
  if (changed || forceWriteback || current.writebackPending || rowDiffers) {
    await deps.records.writeDispatch(row.rowId, {
      status,
      channel: outcome.channel,
      reason: outcome.reason,
      message,
      scheduledFor: outcome.scheduledFor ?? null,
      sentOn: current.sentOn,
      attempts: current.attempts,
      invoiceNumber: current.invoiceNumber ?? undefined,
      clearResend: row.resend,
    });
    if (current.writebackPending) {
      try {
        current = await deps.ledger.update(current, { writebackPending: false });
      } catch (err) {
        if (!(err instanceof LedgerConflictError)) throw err;
      }
    }
  }

  if (outcome.state === 'sent' && current.invoiceNumber === null) deps.awaiting.note(current.key, now);

  if (mustNotify && failures && it.ctx.administration) {
    failures.push({
      administration: it.ctx.administration,
      invoice: row,
      exactInvoiceId: it.exactInvoiceId,
      reason: outcome.reason,
      message,
    });
  }
  return line(deps, it, outcome.state, outcome.channel, outcome.reason, message);
}

function line(
  deps: DispatchDeps,
  it: SettleItem,
  outcome: DispatchLine['outcome'],
  channel: Channel | null,
  reason: string,
  message: string,
): DispatchLine {
  return {
    tenantId: deps.tenant.tenantId,
    division: it.division,
    invoiceId: it.exactInvoiceId,
    invoice: it.ctx.invoice.invoiceNumber
      ? String(it.ctx.invoice.invoiceNumber)
      : (it.ctx.invoice.name ?? it.exactInvoiceId),
    relation: it.ctx.relation?.name ?? '',
    outcome,
    channel,
    reason,
    message,
  };
}
