/**
 * The dispatch ledger's life cycle as pure rules: which state follows which, what a dispatch does with an
 * entry it finds, when a schedule is due, whether an outcome changes anything (and so must be written),
 * and whether the Dataverse row needs a writeback. The ledger adapter stores; these functions decide.
 */
import type { ReasonCode } from './reasons';
import { DISPATCH_STATUS, type Channel, type DispatchStatus, type MessageFacts } from './types';

export const LEDGER_STATES = [
  'waiting',
  'scheduled',
  'sending',
  'sent',
  'printList',
  'ignored',
  'failed',
  'optedOut',
  /** Exact processed the invoice for the Dynamics route; its email is being made, sent, or confirmed (PRODUCT.md §12). */
  'mailing',
  /** Its email waits as a draft for a person to review and send in Dynamics 365. */
  'review',
] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

/** States an outcome settles in (`waiting` and `sending` are on the way there). */
export type SettledState = Exclude<LedgerState, 'waiting' | 'sending'>;

/** What happens to an invoice on its way through one dispatch. */
export type LifecycleEvent =
  | 'decidedIgnore'
  | 'decidedOptOut'
  | 'decidedFail'
  | 'decidedSchedule'
  | 'claimed'
  | 'printed'
  | 'printedToList'
  | 'channelFailed'
  | 'printRefused'
  | 'answerLost'
  | 'released'
  | 'budgetExhausted'
  | 'confirmedProcessed'
  | 'confirmedOnList'
  | 'unconfirmed'
  | 'rebuiltSent'
  | 'rebuiltOnList'
  | 'gaveUp'
  | 'printedForMail'
  | 'mailProgress'
  | 'mailInReview'
  | 'mailSent'
  | 'mailFailed'
  | 'mailCopy';

/**
 * States a new decision may start from: anything but sent (a resend reopens `failed`), and a claim whose
 * lease ran out once Exact shows the invoice still open (`gate` lets only such a claim through).
 */
const DECIDABLE: readonly LedgerState[] = [
  'waiting',
  'scheduled',
  'ignored',
  'failed',
  'optedOut',
  'sending',
];

const TRANSITIONS: Record<LifecycleEvent, { from: readonly LedgerState[]; to: LedgerState }> = {
  decidedIgnore: { from: DECIDABLE, to: 'ignored' },
  decidedOptOut: { from: DECIDABLE, to: 'optedOut' },
  decidedFail: { from: DECIDABLE, to: 'failed' },
  decidedSchedule: { from: DECIDABLE, to: 'scheduled' },
  // Before or at the print, Exact's daily budget can run out: the invoice is scheduled for the reset.
  budgetExhausted: { from: DECIDABLE, to: 'scheduled' },
  claimed: { from: DECIDABLE, to: 'sending' },
  printed: { from: ['sending'], to: 'sent' },
  // Paper: processed onto Exact's print list; final like sent (never printed again), but not "sent".
  printedToList: { from: ['sending'], to: 'printList' },
  channelFailed: { from: ['sending'], to: 'failed' },
  // Exact refused the print, or refused the connection before it (then the invoice was never claimed).
  printRefused: { from: DECIDABLE, to: 'failed' },
  // The claim stays: the next delivery asks Exact whether the print went out, it never prints blindly.
  answerLost: { from: ['sending'], to: 'sending' },
  released: { from: ['sending'], to: 'waiting' },
  // After a lost answer, with Exact's status 50: the channel's evidence decides (see `afterLostAnswer`).
  confirmedProcessed: { from: ['sending'], to: 'sent' },
  confirmedOnList: { from: ['sending'], to: 'printList' },
  unconfirmed: { from: ['sending'], to: 'failed' },
  gaveUp: { from: ['waiting', 'scheduled'], to: 'failed' },
  // The ledger entry was lost and made anew: the row AutoInvoice wrote is the evidence (see `fromRowEvidence`).
  rebuiltSent: { from: ['waiting'], to: 'sent' },
  rebuiltOnList: { from: ['waiting'], to: 'printList' },
  // The Dynamics route (PRODUCT.md §12): Exact printed without sending; the connector mails the document.
  printedForMail: { from: ['sending'], to: 'mailing' },
  // Made, handed to server-side synchronization, or a reviewed draft sent by a person: not out yet.
  mailProgress: { from: ['mailing', 'review'], to: 'mailing' },
  mailInReview: { from: ['mailing', 'review'], to: 'review' },
  mailSent: { from: ['mailing', 'review'], to: 'sent' },
  mailFailed: { from: ['mailing', 'review'], to: 'failed' },
  // A Resend of an invoice Exact already processed sends its document again by email, never printing again.
  mailCopy: { from: ['sent', 'printList', 'failed'], to: 'mailing' },
};

/** The state after `event`, or null when the event cannot happen in `state` (sent is final). */
export function nextState(state: LedgerState, event: LifecycleEvent): LedgerState | null {
  const t = TRANSITIONS[event];
  return t.from.includes(state) ? t.to : null;
}

/** What a dispatch does with the entry it finds for an invoice, before anything is decided. */
export type EntryGate =
  /** Sent is final; a failure waits for a person: answer with the stored outcome, decide nothing. */
  | { kind: 'keep' }
  /** Another worker's claim is live: come back when its lease ends. */
  | { kind: 'busy'; until: Date }
  /** A claim whose worker vanished: Exact's status tells whether its print went out. */
  | { kind: 'confirm' }
  /** Printed for the Dynamics route: the email is carried on or checked, nothing is printed. */
  | { kind: 'mail' }
  | { kind: 'decide' };

export interface GateEntry {
  state: LedgerState;
  leaseUntil: Date | null;
}

export function gate(entry: GateEntry, resend: boolean, now: Date): EntryGate {
  if (entry.state === 'sent' || entry.state === 'printList') return { kind: 'keep' };
  if (entry.state === 'failed' && !resend) return { kind: 'keep' };
  if (entry.state === 'mailing' || entry.state === 'review') {
    if (entry.leaseUntil && entry.leaseUntil > now) return { kind: 'busy', until: entry.leaseUntil };
    return { kind: 'mail' };
  }
  if (entry.state === 'sending') {
    if (entry.leaseUntil && entry.leaseUntil > now) return { kind: 'busy', until: entry.leaseUntil };
    return { kind: 'confirm' };
  }
  return { kind: 'decide' };
}

/** Exact processed the invoice through AutoInvoice's print: its number is assigned, it is never printed again. */
export function processedByUs(state: LedgerState): boolean {
  return state === 'sent' || state === 'printList' || state === 'mailing' || state === 'review';
}

/** `eol_dispatchstatus` for a ledger state: the names are shared, an email on its way shows as sending. */
export function rowStatusOf(state: LedgerState): DispatchStatus {
  return state === 'mailing' ? DISPATCH_STATUS.sending : DISPATCH_STATUS[state];
}

/** A scheduled invoice whose instant has come (or that has none): its message should have run by now. */
export function scheduleIsDue(entry: { state: LedgerState; scheduledFor: Date | null }, now: Date): boolean {
  return entry.state === 'scheduled' && (!entry.scheduledFor || entry.scheduledFor <= now);
}

/** An outcome as the ledger keeps it: the facts travel with it, so its message can be rendered again. */
export interface StoredOutcome {
  state: SettledState;
  reason: ReasonCode;
  facts: MessageFacts;
  channel: Channel | null;
  scheduledFor: Date | null;
}

export interface OutcomeEntry {
  state: LedgerState;
  reason: ReasonCode | null;
  facts: MessageFacts | null;
  channel: Channel | null;
  scheduledFor: Date | null;
  leaseUntil: Date | null;
}

/** The outcome an entry holds, when it holds one (a settled state with its reason and facts). */
export function storedOutcome(entry: OutcomeEntry): StoredOutcome | null {
  if (entry.state === 'waiting' || entry.state === 'sending' || entry.reason === null) return null;
  return {
    state: entry.state,
    reason: entry.reason,
    facts: entry.facts ?? {},
    channel: entry.channel,
    scheduledFor: entry.scheduledFor,
  };
}

/**
 * Whether settling `next` on `entry` changes anything. An unchanged outcome writes nothing: not the ledger,
 * not Dataverse, and its message stays byte for byte what it was.
 */
export function outcomeChanges(entry: OutcomeEntry, next: StoredOutcome): boolean {
  return (
    entry.state !== next.state ||
    entry.reason !== next.reason ||
    entry.channel !== next.channel ||
    entry.leaseUntil !== null ||
    (entry.scheduledFor?.getTime() ?? null) !== (next.scheduledFor?.getTime() ?? null) ||
    canonicalFacts(entry.facts ?? {}) !== canonicalFacts(next.facts)
  );
}

/** Facts as one comparable text: keys sorted, absent values dropped. */
export function canonicalFacts(facts: MessageFacts): string {
  const record = facts as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return JSON.stringify(keys.map((k) => [k, record[k]]));
}

/** A failure is notified once per cause: again only when the reason changes. */
export function mustNotify(
  next: Pick<StoredOutcome, 'state' | 'reason'>,
  notifiedReason: ReasonCode | null,
): boolean {
  return next.state === 'failed' && notifiedReason !== next.reason;
}

/** The reason the ledger remembers as notified after settling `next`. */
export function notifiedAfter(
  next: Pick<StoredOutcome, 'state' | 'reason'>,
  notifiedReason: ReasonCode | null,
): ReasonCode | null {
  if (next.state === 'failed') return next.reason;
  return next.state === 'sent' ? null : notifiedReason;
}

/** What the Dataverse row shows now, as far as the writeback rule cares. */
export interface RowView {
  status: number | null;
  reason: string | null;
  resend: boolean;
}

/**
 * The row needs the dispatch columns written when the outcome changed, when an earlier writeback never
 * landed, when the row shows something else (a lost writeback, a user's edit), or to clear its Resend.
 */
export function writebackDue(
  changed: boolean,
  writebackPending: boolean,
  row: RowView,
  shown: RowView,
): boolean {
  return (
    changed || writebackPending || row.status !== shown.status || row.reason !== shown.reason || row.resend
  );
}

/** Operator detail (an Exact error text) is bounded before it is stored or rendered, so both agree. */
export const DETAIL_LIMIT = 500;

export function boundFacts(facts: MessageFacts): MessageFacts {
  const out: MessageFacts = {};
  for (const [k, v] of Object.entries(facts)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  if (typeof out.detail === 'string') out.detail = out.detail.slice(0, DETAIL_LIMIT);
  return out;
}
