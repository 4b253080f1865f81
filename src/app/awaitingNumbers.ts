import type { LedgerKey } from './ports';

/** How long an instance remembers a print whose number is unknown; older ones are the sweep's. */
export const RECENT_PRINTS_MS = 10 * 60_000;
/** At most this many remembered per administration (a status call carries 60 ids). */
const MAX_PER_DIVISION = 600;

/**
 * Prints of this instance whose invoice number Exact has not been asked for yet. The next status call
 * for the same administration carries them along (no extra Exact call, and no ledger query per dispatch);
 * what an instance forgets (a restart, another instance's print, more than 10 minutes) the sweep reads back.
 */
export class AwaitingNumbers {
  private readonly byDivision = new Map<string, Map<string, { key: LedgerKey; at: number }>>();

  note(key: LedgerKey, now: Date): void {
    const slot = this.slot(key.tenantId, key.division, true)!;
    const id = key.invoiceId.toLowerCase();
    slot.delete(id);
    slot.set(id, { key: { ...key, invoiceId: id }, at: now.getTime() });
    // Insertion order is age order: the oldest go first when an administration prints very many.
    for (const old of slot.keys()) {
      if (slot.size <= MAX_PER_DIVISION) break;
      slot.delete(old);
    }
  }

  /** Up to `room` remembered prints of one administration, oldest first; expired ones are dropped. */
  candidates(tenantId: string, division: number, room: number, now: Date): LedgerKey[] {
    const slot = this.slot(tenantId, division, false);
    if (!slot || room <= 0) return [];
    const out: LedgerKey[] = [];
    for (const [id, { key, at }] of slot) {
      if (now.getTime() - at > RECENT_PRINTS_MS) slot.delete(id);
      else if (out.length < room) out.push(key);
      else break;
    }
    return out;
  }

  forget(key: LedgerKey): void {
    this.slot(key.tenantId, key.division, false)?.delete(key.invoiceId.toLowerCase());
  }

  private slot(
    tenantId: string,
    division: number,
    create: boolean,
  ): Map<string, { key: LedgerKey; at: number }> | undefined {
    const name = `${tenantId}:${division}`;
    let slot = this.byDivision.get(name);
    if (!slot && create) this.byDivision.set(name, (slot = new Map()));
    return slot;
  }
}
