import { dispatchInvoices } from '../../src/app/dispatch';
import { demoGuid } from '../../sandbox/seed/demo';
import {
  crashOnWrite,
  demoDeps,
  demoRow,
  printsOf,
  rowsOf,
  settleQueue,
  SimulatedCrash,
  sweepAll,
  useManualClockStack,
} from './helpers';

const { clock, env } = useManualClockStack(new Date('2026-05-12T08:01:00Z'));

/** The timer's next tick (its sweep requests of one tick collapse into one), then the queue settles. */
async function sweepNextTick(): Promise<void> {
  clock.advance(5 * 60_000);
  await sweepAll(env.stack);
  await settleQueue(env.stack, clock, 60_000);
}

describe('the sweep repairs what a lost message left behind', () => {
  test('when the worker dies after the ledger says sent but before the writeback, and the message is lost, then the sweep writes the row back without printing again', async () => {
    const deps = demoDeps(env.stack);
    const crashing = { ...deps, records: crashOnWrite(deps.records, 'before') };
    await expect(dispatchInvoices(crashing, rowsOf(['I12'], { now: clock.now() }))).rejects.toBeInstanceOf(
      SimulatedCrash,
    );
    expect(env.stack.exact.invoice(100001, demoGuid('invoice:I12'))?.Status).toBe(50);
    expect(demoRow(env.stack, 'I12').eol_dispatchstatus ?? null).toBeNull();

    await sweepNextTick();

    // A paper invoice: on the print list, to be printed and posted.
    expect(demoRow(env.stack, 'I12')).toMatchObject({
      eol_dispatchstatus: 9,
      eol_dispatchreason: 'on_print_list',
    });
    expect(printsOf(env.stack, 'I12')).toHaveLength(1);
  });

  test('when one administration’s sweep fails, then its request comes back and the others are swept meanwhile', async () => {
    const tenant = env.stack.runtime.tenants.find((t) => t.name === 'demo')!;
    const exact = tenant.exact;
    const swept: number[] = [];
    let failures = 0;
    const flaky = Object.create(exact) as typeof exact;
    flaky.listOpenInvoices = (division: number) => {
      if (division === 100001 && failures++ === 0) throw new Error('Exact unavailable for 100001');
      swept.push(division);
      return exact.listOpenInvoices(division);
    };
    tenant.exact = flaky;
    try {
      await sweepNextTick();
    } finally {
      tenant.exact = exact;
    }
    expect(failures).toBeGreaterThan(1);
    expect(swept).toEqual(expect.arrayContaining([100001, 100002]));
    const ledger = env.stack.runtime.ledger;
    expect(await ledger.sweptAt('demo', 100001)).not.toBeNull();
    expect(await ledger.sweptAt('demo', 100002)).not.toBeNull();
    expect(env.stack.queue.deadLetters()).toHaveLength(0);
  });
});
