import { ManualClock, systemClock } from '../../src/adapters/queue/clock';
import { demoGuid, DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import {
  buildRemoteExecutionContext,
  serialiseLikeDataverse,
} from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';
import { ADMIN_B, demoRow, editRow, postWebhook, printsOf, settleQueue } from './helpers';

// Administration B (Jansen Services) sends on the invoice date at 00:05 Europe/Amsterdam (timing 2).
const START = new Date('2026-03-27T10:00:00Z');
const clock = new ManualClock(START);
// Exact keeps real time (token lifetimes); the connector, its queue and its ledger run on the manual clock.
const env = useLocalStack({ clock, timers: clock, exactClock: systemClock, today: START });

/** What Dataverse posts when a user changes the invoice date (a trigger attribute). */
function dateChanged(key: string, date: string): string {
  return serialiseLikeDataverse(
    buildRemoteExecutionContext({
      organizationId: DEMO_ORGANIZATION_ID,
      entityId: demoGuid(`row:${key}`),
      messageName: 'Update',
      attributes: {
        eol_invoicedate: new Date(`${date}T00:00:00Z`),
        eol_administrationid: { lookup: 'eol_administration', id: ADMIN_B },
      },
    }),
  );
}

async function moveDate(key: string, date: string, withEvent = true): Promise<void> {
  editRow(env.stack, 'eol_salesinvoices', demoGuid(`row:${key}`), { eol_invoicedate: date });
  if (withEvent) expect((await postWebhook(dateChanged(key, date))).status).toBe(202);
  await settleQueue(env.stack, clock, 0);
}

/** Runs the clock to `at` minus a minute (nothing may go out), then to `at` (it goes out then). */
async function expectSentExactlyAt(key: string, at: string): Promise<void> {
  clock.advanceTo(new Date(Date.parse(at) - 60_000));
  await settleQueue(env.stack, clock, 0);
  expect(printsOf(env.stack, key)).toHaveLength(0);
  clock.advanceTo(at);
  await settleQueue(env.stack, clock, 0);
  expect(printsOf(env.stack, key)).toHaveLength(1);
  const row = demoRow(env.stack, key);
  expect(row.eol_dispatchstatus).toBe(4);
  expect(new Date(String(row.eol_senton)).toISOString()).toBe(new Date(at).toISOString());
}

describe('on-date timing: 00:05 local on the invoice date', () => {
  test('when an on-date invoice is dated on the spring DST change day (2026-03-29), then it is scheduled for and printed at 00:05 CET (23:05 UTC the day before)', async () => {
    // I30 is dated today + 2 = 2026-03-29, when Amsterdam moves from +01:00 to +02:00 at 02:00.
    expect(demoRow(env.stack, 'I30').eol_invoicedate).toMatch(/^2026-03-29/);
    await moveDate('I30', '2026-03-29');
    const row = demoRow(env.stack, 'I30');
    expect(row.eol_dispatchstatus).toBe(2);
    expect(new Date(String(row.eol_scheduledfor)).toISOString()).toBe('2026-03-28T23:05:00.000Z');
    await expectSentExactlyAt('I30', '2026-03-28T23:05:00Z');
  });

  test('when an invoice is opted out after it was scheduled (and no event arrives), then the scheduled message re-decides and nothing is printed', async () => {
    await moveDate('I29', '2026-03-31');
    expect(demoRow(env.stack, 'I29').eol_dispatchstatus).toBe(2);
    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I29'), { eol_autodispatch: false });

    clock.advanceTo('2026-03-30T22:05:00Z');
    await settleQueue(env.stack, clock, 0);
    expect(printsOf(env.stack, 'I29')).toHaveLength(0);
    const row = demoRow(env.stack, 'I29');
    expect(row.eol_dispatchstatus).toBe(7);
    expect(row.eol_dispatchreason).toBe('invoice_opted_out');
  });

  test('when the invoice date is moved later after scheduling, then it is printed on the new date, not the old one', async () => {
    await moveDate('I31', '2026-04-02');
    expect(new Date(String(demoRow(env.stack, 'I31').eol_scheduledfor)).toISOString()).toBe(
      '2026-04-01T22:05:00.000Z',
    );
    await moveDate('I31', '2026-04-05');
    expect(new Date(String(demoRow(env.stack, 'I31').eol_scheduledfor)).toISOString()).toBe(
      '2026-04-04T22:05:00.000Z',
    );

    clock.advanceTo('2026-04-01T22:06:00Z');
    await settleQueue(env.stack, clock, 0);
    expect(printsOf(env.stack, 'I31')).toHaveLength(0);
    expect(demoRow(env.stack, 'I31').eol_dispatchstatus).toBe(2);
    await expectSentExactlyAt('I31', '2026-04-04T22:05:00Z');
  });

  test('when the date is moved without an event reaching the connector, then the old message re-decides and reschedules for the new date', async () => {
    await moveDate('I33', '2026-04-07');
    await moveDate('I33', '2026-04-09', false);

    clock.advanceTo('2026-04-06T22:05:00Z');
    await settleQueue(env.stack, clock, 0);
    expect(printsOf(env.stack, 'I33')).toHaveLength(0);
    expect(new Date(String(demoRow(env.stack, 'I33').eol_scheduledfor)).toISOString()).toBe(
      '2026-04-08T22:05:00.000Z',
    );
    await expectSentExactlyAt('I33', '2026-04-08T22:05:00Z');
  });

  test('when an on-date invoice is dated on the autumn DST change day (2026-10-25), then it is printed at 00:05 CEST (22:05 UTC the day before)', async () => {
    // I37 (English Client Ltd) lacked an email layout; the relation gets one, then the date is set.
    editRow(env.stack, 'eol_relations', demoGuid('relation:R13'), {
      eol_emaillayout: demoGuid('layout:B-mail'),
    });
    await moveDate('I37', '2026-10-25');
    expect(demoRow(env.stack, 'I37').eol_dispatchstatus).toBe(2);
    expect(new Date(String(demoRow(env.stack, 'I37').eol_scheduledfor)).toISOString()).toBe(
      '2026-10-24T22:05:00.000Z',
    );
    await expectSentExactlyAt('I37', '2026-10-24T22:05:00Z');
  });
});
