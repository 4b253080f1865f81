/** A ledger move that is not an outcome (claim, lost answer, release, the email's steps), checked against the life cycle. */
import { nextState, type LifecycleEvent } from '../../domain';
import type { LedgerEntry, LedgerPatch } from '../ports';
import type { Run } from './types';

export async function move(
  run: Run,
  entry: LedgerEntry,
  event: LifecycleEvent,
  patch: LedgerPatch,
): Promise<LedgerEntry> {
  const state = nextState(entry.state, event);
  if (state === null)
    throw new Error(`ledger life cycle: ${event} cannot happen to a ${entry.state} invoice`);
  return run.deps.ledger.update(entry, { ...patch, state });
}
