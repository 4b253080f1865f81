/**
 * A verified Exact Online webhook for a sales invoice (decision 0126). Invoices born in Exact (recurring,
 * manual) have no Dynamics row: the sweep creates it and dispatches. So a Create or Update of an invoice the
 * ledger does not know asks for that administration's sweep now, on its session, instead of at the next
 * quarter hour. Requests of one window share one message; one that waited while a sweep ran is skipped by
 * the sweep itself. An invoice the ledger knows is the connector's already (its own print answers an
 * Update), and a Delete leaves nothing to send: both are acknowledged and left to the sweep.
 */
import type { AdministrationFacts } from '../domain/types';
import type { Clock, DispatchQueue, Ledger, TenantDirectory } from './ports';
import { eventWindowEnd, messageId, sessionOf, sweepRequest } from './requests';

export interface ExactInvoiceEvent {
  division: number;
  action: 'Create' | 'Update' | 'Delete';
  /** The Exact SalesInvoice's InvoiceID. */
  invoiceId: string;
}

export interface ExactEventDeps {
  tenantId: string;
  directory: TenantDirectory;
  ledger: Ledger;
  queue: DispatchQueue;
  clock: Clock;
  /** Webhooks of one administration within this window share one sweep request (decision 0100's window). */
  windowMs: number;
  traceparent?: string;
}

export type ExactEventOutcome =
  | { kind: 'enqueued'; messageId: string }
  | { kind: 'ignored'; why: string }
  | { kind: 'unknownDivision'; why: string };

export async function acceptExactEvent(
  deps: ExactEventDeps,
  event: ExactInvoiceEvent,
): Promise<ExactEventOutcome> {
  // The ledger first: most webhooks answer the connector's own prints, and Table Storage is cheaper to ask
  // than Dataverse's administrations (a known invoice's division is an administration's).
  const key = { tenantId: deps.tenantId, division: event.division, invoiceId: event.invoiceId.toLowerCase() };
  const known = await deps.ledger.get(key);
  if (known) return { kind: 'ignored', why: `invoice known to the connector (${known.state})` };
  const admin = (await deps.directory.administrations()).find((a) => a.division === event.division);
  if (!admin)
    return {
      kind: 'unknownDivision',
      why: `division ${event.division} is not an administration of this tenant (connect it, or wait for the daily sync)`,
    };
  if (event.action === 'Delete')
    return { kind: 'ignored', why: 'a deleted invoice has nothing to send; the sweep tidies up' };
  if (!admin.printInvoices)
    return { kind: 'ignored', why: 'auto-invoice switched off (eol_printinvoices = no)' };
  return { kind: 'enqueued', messageId: await enqueueSweepNow(deps, admin) };
}

/**
 * The administration's sweep, now or at the end of the window: webhooks of one window (aligned on the epoch,
 * as the events') collapse into one message by its id. The request is dated at the window's end, not at the
 * first webhook: the message that survives stands for every webhook of its window, so only a sweep that
 * started after all of them may skip it (sweep.ts skips a request older than the last sweep's start).
 */
async function enqueueSweepNow(deps: ExactEventDeps, admin: AdministrationFacts): Promise<string> {
  const now = deps.clock.now();
  const windowEnd = deps.windowMs > 0 ? eventWindowEnd(now, deps.windowMs) : undefined;
  const stands = windowEnd ?? now;
  const request = sweepRequest(deps.tenantId, admin, false, stands, deps.traceparent);
  const id = messageId(deps.tenantId, 'exacthook', request.administrationId, stands.toISOString());
  const session = sessionOf(request);
  await deps.queue.enqueue(
    request,
    windowEnd
      ? { messageId: id, sessionId: session, scheduledFor: windowEnd }
      : { messageId: id, sessionId: session },
  );
  return id;
}
