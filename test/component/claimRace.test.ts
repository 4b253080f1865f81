/**
 * The irreversible POST is guarded by a claim taken right before it: a worker that waited (for Exact's
 * rate budget, a token) while another instance printed must not print too — whatever the sandbox would
 * answer to a second print, which real Exact does not document.
 */
import { dispatchInvoices } from '../../src/app/dispatch';
import type { ExactGateway } from '../../src/app/ports';
import { demoGuid } from '../../sandbox/seed/demo';
import { ADMIN_A, demoDeps, demoRow, printPosts, rowsOf, useManualClockStack } from './helpers';

const START = new Date('2026-05-12T08:01:00Z');
const { clock, env } = useManualClockStack(START);

/** A copy of `exact` whose print first waits for `gate` (as a governor waits for the next minute). */
function waitingBeforePrint(exact: ExactGateway, gate: Promise<void>, reached: () => void): ExactGateway {
  const slow = Object.create(exact) as ExactGateway;
  slow.print = async (division, request, guard) => {
    reached();
    await gate;
    return exact.print(division, request, guard);
  };
  return slow;
}

describe('one print POST per invoice under a race', () => {
  test('when one instance waits for rate budget while another, whose clock is 3 minutes ahead, prints the invoice, then only one print POST reaches Exact', async () => {
    const deps = demoDeps(env.stack);
    let open!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const atPrint = new Promise<void>((resolve) => (reached = resolve));
    const waiting = dispatchInvoices(
      { ...deps, exact: waitingBeforePrint(deps.exact, gate, reached) },
      rowsOf(['I1'], { admin: ADMIN_A, now: clock.now() }),
    );
    // The waiting instance has loaded, confirmed and decided: it is at its print.
    await atPrint;
    const ahead = { ...deps, clock: { now: () => new Date(clock.now().getTime() + 3 * 60_000) } };
    const first = await dispatchInvoices(ahead, rowsOf(['I1'], { admin: ADMIN_A, now: ahead.clock.now() }));
    expect(first.map((l) => l.outcome)).toEqual(['sent']);
    open();
    const second = await waiting;
    expect(second.map((l) => l.outcome)).toEqual(['busy']);
    expect(printPosts(env.stack).get(demoGuid('invoice:I1'))).toBe(1);
    expect(demoRow(env.stack, 'I1')).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
  });
});
