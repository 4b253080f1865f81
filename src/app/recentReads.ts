/**
 * What Exact answered a moment ago, used again instead of asking again while Exact's own webhooks say nothing
 * changed (decision 0155). One instance's memory, per tenant: invoice states from a listing or status call
 * (kept `invoiceMs`), accounts from an accounts read or the master-data sync (kept `accountMs`).
 *
 * An entry counts only when Exact pushes changes of its kind for the division (a subscription recorded in the
 * change log) and no webhook for it arrived since it was read. The change log is shared by every instance
 * (Table Storage), so a webhook answered by another instance still reaches this memory: each use asks it first
 * (`settle`, one query per division). A fault there means nothing is reused: the reads are made as before.
 *
 *   const topics = await recent.settle(division);   // { SalesInvoices, Accounts } when both are subscribed
 *   recent.invoice(division, id)                      // the state read ≤ invoiceMs ago and unchanged since
 */
import type { ExactAccount, ExactMasterData } from './masterData/ports';
import type { Clock, ExactInvoiceState } from './ports';

export const INVOICE_TOPIC = 'SalesInvoices';
export const ACCOUNT_TOPIC = 'Accounts';
/** The topics the connector subscribes to, in that order (contacts are read before printing, never reused). */
export const EXACT_TOPICS = [INVOICE_TOPIC, ACCOUNT_TOPIC] as const;

/**
 * Instances' clocks and a read's own duration: a webhook noted up to this long after a read still drops it,
 * and the change log is asked this far back.
 */
export const CHANGE_MARGIN_MS = 5_000;

/** The Exact webhooks every instance has answered, and which topics each division is subscribed to. */
export interface ExactChangeLog {
  /** A verified webhook for `key` (lower case) of `topic`, noted at its arrival. */
  note(tenantId: string, division: number, topic: string, key: string, at: Date): Promise<void>;
  /** The division's subscription to `topic` exists (made or found at a connect). */
  subscribed(tenantId: string, division: number, topic: string, at: Date): Promise<void>;
  /** The division's subscribed topics and the changes noted at or after `since`: one query. */
  since(tenantId: string, division: number, since: Date): Promise<NotedChanges>;
}

export interface NotedChanges {
  topics: Set<string>;
  changes: Array<{ topic: string; key: string; at: Date }>;
}

export interface ReuseSettings {
  /** How long an invoice's state stays usable; 0 = never reused. */
  invoiceMs: number;
  /** How long an account stays usable; 0 = never reused. */
  accountMs: number;
}

interface Stamped<T> {
  value: T;
  readAt: Date;
}

class Shelf<T> {
  private byDivision = new Map<number, Map<string, Stamped<T>>>();
  constructor(private readonly keepMs: () => number) {}
  get(division: number, key: string, now: Date): T | undefined {
    const e = this.byDivision.get(division)?.get(key.toLowerCase());
    return e && now.getTime() - e.readAt.getTime() <= this.keepMs() ? e.value : undefined;
  }
  put(division: number, key: string, value: T, readAt: Date): void {
    let m = this.byDivision.get(division);
    if (!m) this.byDivision.set(division, (m = new Map()));
    const had = m.get(key.toLowerCase());
    if (!had || had.readAt <= readAt) m.set(key.toLowerCase(), { value, readAt });
  }
  /** Drops `key` when it was read before `changedAt` (plus the margin). */
  drop(division: number, key: string, changedAt?: Date): void {
    const m = this.byDivision.get(division);
    const e = m?.get(key.toLowerCase());
    if (!e) return;
    if (!changedAt || e.readAt.getTime() < changedAt.getTime() + CHANGE_MARGIN_MS)
      m!.delete(key.toLowerCase());
  }
  prune(division: number, now: Date): void {
    const m = this.byDivision.get(division);
    for (const [k, e] of m ?? []) if (now.getTime() - e.readAt.getTime() > this.keepMs()) m!.delete(k);
  }
}

export class RecentReads {
  private readonly invoices: Shelf<ExactInvoiceState>;
  private readonly accounts: Shelf<ExactAccount>;
  /** When the division's change log was last asked, and the oldest read remembered since. */
  private readonly checked = new Map<number, Date>();
  private readonly oldestSince = new Map<number, Date>();
  private readonly listed = new Map<number, Date>();

  constructor(private readonly o: { tenantId: string; log: ExactChangeLog; clock: Clock } & ReuseSettings) {
    this.invoices = new Shelf(() => o.invoiceMs);
    this.accounts = new Shelf(() => o.accountMs);
  }

  /**
   * Asks the change log once: drops what a webhook changed since it was read, and returns the topics Exact
   * pushes for the division (empty when the log cannot be read: then nothing is reused).
   */
  async settle(division: number): Promise<Set<string>> {
    const now = this.o.clock.now();
    // Reads remembered while the query runs count toward the next settle, not this one.
    const taken = this.oldestSince.get(division);
    this.oldestSince.delete(division);
    const from = [this.checked.get(division), taken, now]
      .filter((d): d is Date => d !== undefined)
      .reduce((a, b) => (a < b ? a : b));
    let noted: NotedChanges;
    try {
      noted = await this.o.log.since(this.o.tenantId, division, new Date(from.getTime() - CHANGE_MARGIN_MS));
    } catch {
      if (taken) this.noteRead(division, taken);
      return new Set();
    }
    for (const c of noted.changes) {
      if (c.topic === INVOICE_TOPIC) this.invoices.drop(division, c.key, c.at);
      if (c.topic === ACCOUNT_TOPIC) this.accounts.drop(division, c.key, c.at);
    }
    this.checked.set(division, now);
    this.invoices.prune(division, now);
    this.accounts.prune(division, now);
    return noted.topics;
  }

  invoice(division: number, invoiceId: string): ExactInvoiceState | undefined {
    return this.o.invoiceMs > 0 ? this.invoices.get(division, invoiceId, this.o.clock.now()) : undefined;
  }

  /** States Exact gave in a read that started at `readAt`; `listing` when it was every open invoice. */
  rememberInvoices(
    division: number,
    states: Iterable<ExactInvoiceState>,
    readAt: Date,
    listing = false,
  ): void {
    for (const s of states) this.invoices.put(division, s.invoiceId, s, readAt);
    if (listing) this.listed.set(division, readAt);
    this.noteRead(division, readAt);
  }

  /** Whether the division's open invoices were listed within `invoiceMs`: one missing from it is asked by id. */
  listedRecently(division: number): boolean {
    const at = this.listed.get(division);
    return at !== undefined && this.o.clock.now().getTime() - at.getTime() <= this.o.invoiceMs;
  }

  forgetInvoice(division: number, invoiceId: string): void {
    this.invoices.drop(division, invoiceId);
  }

  account(division: number, accountId: string): ExactAccount | undefined {
    return this.o.accountMs > 0 ? this.accounts.get(division, accountId, this.o.clock.now()) : undefined;
  }

  rememberAccounts(division: number, accounts: Iterable<ExactAccount>, readAt: Date): void {
    for (const a of accounts) this.accounts.put(division, a.id, a, readAt);
    this.noteRead(division, readAt);
  }

  forgetAccount(division: number, accountId: string): void {
    this.accounts.drop(division, accountId);
  }

  private noteRead(division: number, readAt: Date): void {
    const had = this.oldestSince.get(division);
    if (!had || readAt < had) this.oldestSince.set(division, readAt);
  }
}

/**
 * The master-data port remembering the accounts the sync lists and forgetting one it writes, so the next
 * dispatch may use them (decision 0155).
 */
export function rememberingMasterData(
  inner: ExactMasterData,
  recent: RecentReads,
  clock: Clock,
): ExactMasterData {
  return {
    divisions: () => inner.divisions(),
    layouts: (division) => inner.layouts(division),
    async accountChanges(division, cursor) {
      const readAt = clock.now();
      const changes = await inner.accountChanges(division, cursor);
      recent.rememberAccounts(division, changes.accounts, readAt);
      return changes;
    },
    // The pre-print read remembers what it reads itself (dispatch/reuse.ts).
    accounts: (division, ids) => inner.accounts(division, ids),
    contacts: (division, ids) => inner.contacts(division, ids),
    async updateAccount(division, accountId, edit) {
      recent.forgetAccount(division, accountId);
      await inner.updateAccount(division, accountId, edit);
    },
  };
}
