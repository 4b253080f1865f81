import { dispatchInvoices } from '../../src/app/dispatch';
import { sweepTenant } from '../../src/app/sweep';
import { sweepDeps } from '../../src/composition/runtime';
import { demoGuid } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { crashOnce, demoDeps, demoRow, printsOf, SimulatedCrash } from './helpers';

const env = useLocalStack();

const demoSweep = () => {
  const rt = env.stack.runtime;
  return sweepDeps(
    rt,
    rt.tenants.find((t) => t.name === 'demo')!,
  );
};

describe('the sweep repairs what a lost message left behind', () => {
  test('when the worker dies after the ledger says sent but before the writeback, and the message is lost, then the sweep writes the row back without printing again', async () => {
    const deps = demoDeps(env.stack);
    const crashing = { ...deps, records: crashOnce(deps.records, 'writeDispatch', 'before') };
    await expect(
      dispatchInvoices(crashing, {
        tenantId: 'demo',
        rowId: demoGuid('row:I12'),
        exactInvoiceId: null,
        division: null,
        administrationId: null,
        trigger: 'webhook',
        requestedAt: new Date().toISOString(),
      }),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    expect(env.stack.exact.invoice(100001, demoGuid('invoice:I12'))?.Status).toBe(50);
    expect(demoRow(env.stack, 'I12').eol_dispatchstatus ?? null).toBeNull();

    await sweepTenant(demoSweep(), { full: false });
    await env.stack.queue.idle();

    expect(demoRow(env.stack, 'I12')).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
    expect(printsOf(env.stack, 'I12')).toHaveLength(1);
  });

  test('when one administration’s sweep fails, then the others are still swept and the failure is reported', async () => {
    const deps = demoSweep();
    const failing = {
      ...deps,
      exact: {
        ...deps.exact,
        listOpenInvoices: (division: number) => {
          if (division === 100001) throw new Error('Exact unavailable for 100001');
          return deps.exact.listOpenInvoices(division);
        },
      },
    };
    const report = await sweepTenant(failing, { full: false });
    const a = report.administrations.find((x) => x.division === 100001);
    const b = report.administrations.find((x) => x.division === 100002);
    expect(a?.skipped).toMatch(/sweep failed: Exact unavailable for 100001/);
    expect(b?.skipped).toBeUndefined();
    expect(b?.open).toBeGreaterThan(0);
  });
});
