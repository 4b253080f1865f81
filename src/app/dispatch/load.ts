/** Step 1 — load: the request's rows (one read, or a few expanded queries for a batch) and their ledger entries. */
import {
  decideWithoutExact,
  fromRowEvidence,
  gate,
  nextState,
  printedByAutoInvoice,
  type InputBeforeExact,
  type ReasonCode,
} from '../../domain';
import type { InvoiceContext, LedgerEntry } from '../ports';
import type { DispatchLine, Item, Run } from './types';

export async function loadItems(run: Run): Promise<{ items: Item[]; skipped: DispatchLine[] }> {
  const { deps, request } = run;
  const rowIds = request.rowIds;
  const batch = rowIds.length > 1 ? await deps.records.loadContexts(rowIds) : null;
  const items: Item[] = [];
  const skipped: DispatchLine[] = [];
  for (const rowId of rowIds) {
    const ctx = batch ? (batch.get(rowId.toLowerCase()) ?? null) : await deps.records.loadContext(rowId);
    if (!ctx || !ctx.invoice.exactInvoiceId) {
      skipped.push(skipLine(run, rowId, ctx ? 'row has no Exact invoice id yet' : 'row no longer exists'));
      continue;
    }
    items.push(await itemOf(run, ctx, ctx.invoice.exactInvoiceId.toLowerCase()));
  }
  return { items, skipped };
}

async function itemOf(run: Run, ctx: InvoiceContext, exactInvoiceId: string): Promise<Item> {
  const { deps, request } = run;
  const division = ctx.administration?.division ?? request.division ?? 0;
  const found = await deps.ledger.ensure(
    { tenantId: deps.tenant.tenantId, division, invoiceId: exactInvoiceId },
    ctx.invoice.rowId,
  );
  const entry = await rebuildFromRow(run, ctx, found);
  const base = { ctx, exactInvoiceId, division, entry };
  // Rules 1–3 need nothing from Exact: when they decide, no status call is spent on the invoice.
  const first = decideWithoutExact({ ...factsOf(base), licence: run.licence, now: deps.clock.now() });
  const resend = ctx.invoice.resend || request.trigger === 'resend';
  return { ...base, entry, resend, first, gate: gate(entry, resend, deps.clock.now()) };
}

/** A lost ledger entry of an invoice AutoInvoice sent comes back from the row it wrote (see `fromRowEvidence`). */
async function rebuildFromRow(run: Run, ctx: InvoiceContext, entry: LedgerEntry): Promise<LedgerEntry> {
  const row = ctx.invoice;
  const rebuilt = fromRowEvidence(entry, { status: row.dispatchStatus, reason: row.dispatchReason });
  if (!rebuilt || nextState(entry.state, rebuilt.event) !== rebuilt.state) return entry;
  const at = run.deps.clock.now().toISOString();
  const reason = row.dispatchReason as ReasonCode;
  return run.deps.ledger.update(entry, {
    state: rebuilt.state,
    reason,
    // No facts: the row's message is kept as it was written (see record.ts).
    facts: null,
    message: row.dispatchMessage,
    channel: row.dispatchChannel,
    sentOn: row.sentOn,
    history: [{ at, outcome: rebuilt.state, reason, detail: 'ledger entry rebuilt from the Dataverse row' }],
  });
}

/** The decision's view of an item (everything but the licence, the clock and Exact's status). */
export function factsOf(
  it: Pick<Item, 'ctx' | 'exactInvoiceId' | 'division' | 'entry'>,
): Omit<InputBeforeExact, 'licence' | 'now'> {
  const row = it.ctx.invoice;
  return {
    administration: it.ctx.administration,
    relation: it.ctx.relation,
    invoice: {
      exactInvoiceId: it.exactInvoiceId,
      division: it.division,
      rowId: row.rowId,
      invoiceNumber: row.invoiceNumber,
      invoiceDate: row.invoiceDate ?? '1970-01-01',
      source: row.source ?? 1,
      autoDispatch: row.autoDispatch,
      extraText: row.extraText,
      customerName: row.name,
      printedByAutoInvoice: printedByAutoInvoice(it.entry),
      recipients: row.recipients ?? null,
    },
  };
}

function skipLine(run: Run, rowId: string, why: string): DispatchLine {
  return {
    tenantId: run.deps.tenant.tenantId,
    division: null,
    invoiceId: rowId,
    invoice: rowId,
    relation: '',
    outcome: 'skipped',
    channel: null,
    reason: 'skipped',
    message: why,
  };
}
