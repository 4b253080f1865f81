import {
  gate,
  leftBehind,
  mustNotify,
  nextState,
  notifiedAfter,
  outcomeChanges,
  scheduleIsDue,
  storedOutcome,
  sweepWants,
  writebackDue,
  type LedgerState,
  type LifecycleEvent,
  type OutcomeEntry,
  type StoredOutcome,
} from '../../src/domain';
import type { ReasonCode } from '../../src/domain/reasons';

const NOW = new Date('2026-05-12T10:00:00Z');
const LATER = new Date('2026-05-12T10:02:00Z');
const EARLIER = new Date('2026-05-12T09:58:00Z');

describe('ledger life cycle: state × event → next state (null = cannot happen)', () => {
  const S: LedgerState[] = ['waiting', 'scheduled', 'sending', 'sent', 'ignored', 'failed', 'optedOut'];
  // Rows: event; columns in the order of S.
  const table: Array<[LifecycleEvent, Array<LedgerState | null>]> = [
    ['decidedIgnore', ['ignored', 'ignored', 'ignored', null, 'ignored', 'ignored', 'ignored']],
    ['decidedOptOut', ['optedOut', 'optedOut', 'optedOut', null, 'optedOut', 'optedOut', 'optedOut']],
    ['decidedFail', ['failed', 'failed', 'failed', null, 'failed', 'failed', 'failed']],
    ['decidedSchedule', ['scheduled', 'scheduled', 'scheduled', null, 'scheduled', 'scheduled', 'scheduled']],
    ['budgetExhausted', ['scheduled', 'scheduled', 'scheduled', null, 'scheduled', 'scheduled', 'scheduled']],
    ['claimed', ['sending', 'sending', 'sending', null, 'sending', 'sending', 'sending']],
    ['printed', [null, null, 'sent', null, null, null, null]],
    ['channelFailed', [null, null, 'failed', null, null, null, null]],
    ['printRefused', ['failed', 'failed', 'failed', null, 'failed', 'failed', 'failed']],
    ['answerLost', [null, null, 'sending', null, null, null, null]],
    ['released', [null, null, 'waiting', null, null, null, null]],
    ['confirmedProcessed', [null, null, 'sent', null, null, null, null]],
    ['gaveUp', ['failed', 'failed', null, null, null, null, null]],
  ];
  const cases = table.flatMap(([event, row]) => S.map((state, i) => [state, event, row[i]!] as const));

  test.each(cases)('when an invoice is %s and %s happens, then it is %s', (state, event, next) => {
    expect(nextState(state, event)).toBe(next);
  });

  test('when an invoice is sent, then no event moves it: sent is final', () => {
    for (const [event] of table) expect(nextState('sent', event)).toBeNull();
  });
});

describe('what a dispatch does with the entry it finds', () => {
  test.each([
    ['sent', false, null, 'keep'],
    ['sent', true, null, 'keep'],
    ['failed', false, null, 'keep'],
    ['failed', true, null, 'decide'],
    ['sending', false, LATER, 'busy'],
    ['sending', false, EARLIER, 'confirm'],
    ['sending', true, null, 'confirm'],
    ['waiting', false, null, 'decide'],
    ['scheduled', false, null, 'decide'],
    ['ignored', false, null, 'decide'],
    ['optedOut', false, null, 'decide'],
  ] as const)(
    'when the entry is %s (resend %s, lease until %s), then the dispatch does %s',
    (state, resend, leaseUntil, kind) => {
      expect(gate({ state, leaseUntil }, resend, NOW).kind).toBe(kind);
    },
  );
});

const entry = (over: Partial<OutcomeEntry> = {}): OutcomeEntry => ({
  state: 'failed',
  reason: 'email_invalid',
  facts: { relation: 'Tikfout BV', address: 'info@@tikfout.example' },
  channel: null,
  scheduledFor: null,
  leaseUntil: null,
  ...over,
});
const same = (e: OutcomeEntry): StoredOutcome => storedOutcome(e)!;

describe('an outcome writes, and renews its message, only when it changes', () => {
  test.each([
    ['the same outcome with the same facts', {}, false],
    [
      'the same facts in another key order',
      { facts: { address: 'info@@tikfout.example', relation: 'Tikfout BV' } },
      false,
    ],
    [
      'another fact (the address was corrected but is still wrong)',
      { facts: { relation: 'Tikfout BV', address: 'info@tikfout' } },
      true,
    ],
    ['another reason', { reason: 'email_missing' }, true],
    ['another state', { state: 'ignored' }, true],
    ['another channel', { channel: 'email' }, true],
    ['another scheduled instant', { scheduledFor: LATER }, true],
  ] as const)('when %s is settled, then changes = %s', (_what, over, changes) => {
    const next = { ...same(entry()), ...over } as StoredOutcome;
    expect(outcomeChanges(entry(), next)).toBe(changes);
  });

  test('when the entry still holds a lease, then settling always writes (the claim must be released)', () => {
    expect(outcomeChanges(entry({ leaseUntil: LATER }), same(entry()))).toBe(true);
  });

  test('when an entry is waiting or claimed, then it holds no outcome to answer with', () => {
    expect(storedOutcome(entry({ state: 'waiting' }))).toBeNull();
    expect(storedOutcome(entry({ state: 'sending' }))).toBeNull();
    expect(storedOutcome(entry())).toEqual({
      state: 'failed',
      reason: 'email_invalid',
      facts: entry().facts,
      channel: null,
      scheduledFor: null,
    });
  });
});

describe('a failure is notified once per cause', () => {
  test.each([
    ['failed', 'email_missing', null, true, 'email_missing'],
    ['failed', 'email_missing', 'email_missing', false, 'email_missing'],
    ['failed', 'email_invalid', 'email_missing', true, 'email_invalid'],
    ['sent', 'sent', 'email_missing', false, null],
    ['ignored', 'relation_disabled', 'email_missing', false, 'email_missing'],
  ] as const)(
    'when %s/%s settles after %s was notified, then notify = %s and %s is remembered',
    (state, reason, notified, notify, after) => {
      expect(mustNotify({ state, reason }, notified)).toBe(notify);
      expect(notifiedAfter({ state, reason }, notified)).toBe(after);
    },
  );
});

describe('the Dataverse row is written back when', () => {
  const shown = { status: 6, reason: 'email_missing', resend: false };
  test.each([
    ['nothing changed and the row shows the outcome', false, false, shown, false],
    ['the outcome changed', true, false, shown, true],
    ['an earlier writeback never landed', false, true, shown, true],
    ['the row shows another status', false, false, { ...shown, status: 1 }, true],
    ['the row shows another reason', false, false, { ...shown, reason: 'email_invalid' }, true],
    ['the row asks for a resend (to clear it)', false, false, { ...shown, resend: true }, true],
  ] as const)('%s: %s', (_what, changed, pending, row, due) => {
    expect(writebackDue(changed, pending, row, shown)).toBe(due);
  });
});

describe('what the sweep dispatches', () => {
  const e = (
    state: LedgerState,
    over: {
      leaseUntil?: Date | null;
      scheduledFor?: Date | null;
      writebackPending?: boolean;
      reason?: ReasonCode;
    } = {},
  ) => ({
    state,
    leaseUntil: over.leaseUntil ?? null,
    scheduledFor: over.scheduledFor ?? null,
    writebackPending: over.writebackPending ?? false,
    reason: over.reason ?? null,
  });
  test.each([
    ['no entry (never dispatched)', undefined, false, false, true],
    ['waiting', e('waiting'), false, false, true],
    ['scheduled and due', e('scheduled', { scheduledFor: EARLIER }), false, false, true],
    ['scheduled for later', e('scheduled', { scheduledFor: LATER }), false, false, false],
    [
      'scheduled for later, in the full 00:05 sweep',
      e('scheduled', { scheduledFor: LATER }),
      true,
      false,
      true,
    ],
    ['claimed with a live lease', e('sending', { leaseUntil: LATER }), false, false, false],
    ['claimed with a stale lease', e('sending', { leaseUntil: EARLIER }), false, false, true],
    ['ignored (relation switched off)', e('ignored', { reason: 'relation_disabled' }), false, false, false],
    [
      'ignored (relation switched off), in the full sweep: its backlog waits for a person',
      e('ignored', { reason: 'relation_disabled' }),
      true,
      false,
      false,
    ],
    [
      'ignored as not open (a draft), now listed open',
      e('ignored', { reason: 'invoice_not_open' }),
      false,
      false,
      true,
    ],
    [
      'ignored (relation switched off), with Resend set',
      e('ignored', { reason: 'relation_disabled' }),
      false,
      true,
      true,
    ],
    ['opted out, in the full sweep: its row raises the event', e('optedOut'), true, false, false],
    ['failed', e('failed'), true, false, false],
    ['failed with Resend set', e('failed'), false, true, true],
    ['sent', e('sent'), true, false, false],
    ['sent with a writeback that never landed', e('sent', { writebackPending: true }), false, false, true],
  ] as const)(
    'when the entry is %s, then the sweep dispatches it: full=%s resend=%s → %s',
    (_what, entry, full, resend, wants) => {
      expect(sweepWants(entry, NOW, full, resend)).toBe(wants);
    },
  );

  test.each([
    ['a stale claim', e('sending', { leaseUntil: EARLIER }), true],
    ['a live claim', e('sending', { leaseUntil: LATER }), false],
    ['a sent invoice whose writeback never landed', e('sent', { writebackPending: true }), true],
    ['a sent invoice', e('sent'), false],
  ] as const)(
    'when an invoice Exact no longer lists is %s, then the sweep repairs it: %s',
    (_what, entry, repairs) => {
      expect(leftBehind(entry, NOW)).toBe(repairs);
    },
  );

  test('when a schedule has no instant or its instant has come, then it is due', () => {
    expect(scheduleIsDue(e('scheduled'), NOW)).toBe(true);
    expect(scheduleIsDue(e('scheduled', { scheduledFor: NOW }), NOW)).toBe(true);
    expect(scheduleIsDue(e('scheduled', { scheduledFor: LATER }), NOW)).toBe(false);
    expect(scheduleIsDue(e('waiting'), NOW)).toBe(false);
  });
});
