/** What the sweep dispatches again and what it repairs, as pure rules over ledger entries. */
import { scheduleIsDue, type GateEntry } from './lifecycle';
import type { ReasonCode } from './reasons';

export interface SweepEntry extends GateEntry {
  scheduledFor: Date | null;
  writebackPending: boolean;
  reason?: ReasonCode | null;
}

/**
 * Whether the sweep dispatches an invoice Exact lists as open, with this entry (none: never dispatched).
 * `full` (the 00:05 sweep) also re-decides future schedules (a date moved earlier). An ignored invoice is
 * decided again only when what decided it changed where the sweep can see it: it was not open in Exact (a
 * draft, not found) and now is. Settings of relations and administrations raise no event: their older
 * invoices wait for a person (Resend, or the console's activation), so switching a relation back on does
 * not send its backlog that night. An opted-out invoice's own row raises the event that re-decides it.
 */
export function sweepWants(
  entry: SweepEntry | undefined,
  now: Date,
  full: boolean,
  resend: boolean,
): boolean {
  if (!entry || resend || entry.writebackPending) return true;
  switch (entry.state) {
    case 'waiting':
      return true;
    case 'scheduled':
      // A date moved earlier whose event was lost is caught on the day it becomes due.
      return full || scheduleIsDue(entry, now);
    case 'sending':
      return !entry.leaseUntil || entry.leaseUntil <= now;
    case 'ignored':
      return entry.reason === 'invoice_not_open';
    case 'mailing':
    case 'review':
      return leftBehind(entry, now);
    default:
      return false;
  }
}

/** An entry the sweep repairs although Exact no longer lists its invoice as open: a stale claim, a lost writeback. */
export function leftBehind(entry: SweepEntry, now: Date): boolean {
  const stale = !entry.leaseUntil || entry.leaseUntil <= now;
  // An email on its way or a draft in review is checked on every sweep: Dataverse raises no event for it.
  return (
    entry.writebackPending ||
    ((entry.state === 'sending' || entry.state === 'mailing' || entry.state === 'review') && stale)
  );
}
