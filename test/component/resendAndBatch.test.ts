import { InvocationContext } from '@azure/functions';
import { sweep } from '../../functions/sweep';
import { ManualClock, systemClock } from '../../src/adapters/queue/clock';
import { dispatchBatch, type BatchProgress } from '../../src/app/batch';
import { demoGuid, DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import {
  buildRemoteExecutionContext,
  invoiceCreatedEvent,
  serialiseLikeDataverse,
} from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';
import {
  ADMIN_A,
  demoDeps,
  demoRow,
  doublePrints,
  editRow,
  postWebhook,
  printsOf,
  settleQueue,
} from './helpers';

// 10:01 in Amsterdam, so the first sweep tick (10:05) is not a sweep slot and the 10:15 one is.
const START = new Date('2026-05-12T08:01:00Z');
const clock = new ManualClock(START);
const env = useLocalStack({
  clock,
  timers: clock,
  exactClock: systemClock,
  today: START,
  exact: { minutelyLimit: 100_000, dailyLimit: 100_000 },
});

const batchDeps = () => ({
  ...demoDeps(env.stack),
  directory: env.stack.runtime.tenants.find((t) => t.name === 'demo')!.directory,
});

async function send(key: string): Promise<void> {
  expect(
    (
      await postWebhook(
        serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, key))),
      )
    ).status,
  ).toBe(202);
  await settleQueue(env.stack, clock, 0);
}

describe('resend after a fix, and batch dispatch', () => {
  test('when eol_resend is set on a failed invoice after the fix, then the decision re-runs, Exact sends it and eol_resend is set back to no', async () => {
    // I20: Tikfout Techniek's address list starts with a typo (email_invalid).
    await send('I20');
    expect(demoRow(env.stack, 'I20')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'email_invalid',
    });
    await send('I20'); // a repeated event without a fix or a resend changes nothing
    expect(printsOf(env.stack, 'I20')).toHaveLength(0);

    editRow(env.stack, 'eol_relations', demoGuid('relation:R8'), {
      eol_invoiceemail: 'administratie@tikfout.example',
    });
    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I20'), { eol_resend: true });
    const event = buildRemoteExecutionContext({
      organizationId: DEMO_ORGANIZATION_ID,
      entityId: demoGuid('row:I20'),
      messageName: 'Update',
      attributes: { eol_resend: true, eol_administrationid: { lookup: 'eol_administration', id: ADMIN_A } },
    });
    expect((await postWebhook(serialiseLikeDataverse(event))).status).toBe(202);
    await settleQueue(env.stack, clock, 0);

    expect(printsOf(env.stack, 'I20')).toHaveLength(1);
    expect(demoRow(env.stack, 'I20')).toMatchObject({
      eol_dispatchstatus: 4,
      eol_dispatchreason: 'sent',
      eol_resend: false,
    });
  });

  test('when eol_resend is set on an invoice AutoInvoice had processed before its channel failed, then it is not printed again and the message says AutoInvoice processed it and what to do', async () => {
    // I22: Exact's account has no digital postbox, so Exact processes the invoice and fails the channel.
    await send('I22');
    expect(demoRow(env.stack, 'I22')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'exact_channel_error',
    });
    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I22'), { eol_resend: true });
    await send('I22');
    expect(printsOf(env.stack, 'I22')).toHaveLength(1);
    const row = demoRow(env.stack, 'I22');
    expect(row).toMatchObject({
      eol_dispatchstatus: 5,
      eol_dispatchreason: 'invoice_not_open',
      eol_resend: false,
    });
    expect(String(row.eol_dispatchmessage)).toMatch(
      /^Not sent again: AutoInvoice already had .* processed in Exact Online \(status 50\).*Send it to the customer from Exact Online/,
    );
    expect(String(row.eol_dispatchmessage)).not.toMatch(/outside AutoInvoice/);
  });

  test('when eol_resend is set on a sent invoice, then it is not sent again and eol_resend goes back to no', async () => {
    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I20'), { eol_resend: true });
    const event = buildRemoteExecutionContext({
      organizationId: DEMO_ORGANIZATION_ID,
      entityId: demoGuid('row:I20'),
      messageName: 'Update',
      attributes: { eol_resend: true },
    });
    await postWebhook(serialiseLikeDataverse(event));
    await settleQueue(env.stack, clock, 0);
    expect(printsOf(env.stack, 'I20')).toHaveLength(1);
    expect(demoRow(env.stack, 'I20')).toMatchObject({ eol_dispatchstatus: 4, eol_resend: false });
  });

  test('when eol_resend is set after a fix but its event is lost, then the sweep re-runs the decision and sends it', async () => {
    // I21: Peppol Zonder Id wants Peppol but has no id (peppol_id_missing); Exact's account lacks it too,
    // so the fix is to switch the relation to paper.
    await send('I21');
    expect(demoRow(env.stack, 'I21').eol_dispatchreason).toBe('peppol_id_missing');
    editRow(env.stack, 'eol_relations', demoGuid('relation:R9'), { eol_invoicemethod: 1 });
    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I21'), { eol_resend: true });
    for (let i = 0; i < 3 && printsOf(env.stack, 'I21').length === 0; i++) {
      clock.advance(5 * 60_000);
      await sweep(null, new InvocationContext({ functionName: 'sweep' }));
      await settleQueue(env.stack, clock, 0);
    }
    expect(printsOf(env.stack, 'I21')).toHaveLength(1);
    expect(printsOf(env.stack, 'I21')[0]!.channel).toBe('paper');
    expect(demoRow(env.stack, 'I21')).toMatchObject({
      eol_dispatchstatus: 9,
      eol_dispatchreason: 'on_print_list',
      eol_resend: false,
    });
  });

  test('when a batch names rows, then each is dispatched by the rules and progress counts the outcomes', async () => {
    // The sweep above sent what was due; B's invoice dated in two days is still scheduled, I38-I39 are off.
    const seen: BatchProgress[] = [];
    const rows = ['I20', 'I30', 'I38', 'I19'].map((k) => demoGuid(`row:${k}`));
    const result = await dispatchBatch(batchDeps(), { tenantId: 'demo', rowIds: rows }, (p) => seen.push(p));
    await settleQueue(env.stack, clock, 0);

    expect(result.total).toBe(4);
    expect(result.done).toBe(4);
    expect(result.byOutcome).toEqual({ sent: 1, scheduled: 1, ignored: 1, failed: 1 });
    expect(seen[0]).toMatchObject({ total: 4, done: 0 });
    expect(seen.at(-1)).toMatchObject({ total: 4, done: 4 });
    expect(printsOf(env.stack, 'I20')).toHaveLength(1);
  });

  test('when a batch covers a whole administration twice, then every open invoice has an outcome and nothing is printed twice', async () => {
    const before = env.stack.exact.prints().length;
    const first = await dispatchBatch(batchDeps(), { tenantId: 'demo', administrationId: ADMIN_A });
    await settleQueue(env.stack, clock, 0);
    // Open in Exact = not printed yet: what the sweep left (failed, ignored, opted out) gets an outcome again.
    expect(first.total).toBeGreaterThan(0);
    expect(first.lines.map((l) => l.invoiceId).sort()).toEqual(
      [...new Set(first.lines.map((l) => l.invoiceId))].sort(),
    );
    expect(first.done).toBe(first.total);
    expect(Object.values(first.byOutcome).reduce((a, b) => a + b, 0)).toBe(first.total);
    expect(first.byOutcome.failed ?? 0).toBeGreaterThan(0);

    const again = await dispatchBatch(batchDeps(), {
      tenantId: 'demo',
      administrationId: ADMIN_A,
      resend: true,
    });
    await settleQueue(env.stack, clock, 0);
    expect(again.total).toBeLessThanOrEqual(first.total);
    expect(doublePrints(env.stack)).toEqual([]);
    // Failed invoices were re-decided (resend) and failed again for the same reasons: nothing new printed.
    expect(env.stack.exact.prints().length).toBe(before);
  });
});

describe('ignored invoices wait for a person', () => {
  test('when a relation is switched back on, then the 00:05 sweep does not send its older ignored invoices; Resend does', async () => {
    // I17: Bakkerij Jansen has auto-invoice switched off (relation_disabled).
    await send('I17');
    expect(demoRow(env.stack, 'I17')).toMatchObject({
      eol_dispatchstatus: 5,
      eol_dispatchreason: 'relation_disabled',
    });
    editRow(env.stack, 'eol_relations', demoGuid('relation:R1'), { eol_autoinvoice: true });
    // 00:05 Amsterdam: the full sweep of the night.
    clock.advanceTo('2026-05-12T22:05:00Z');
    await sweep(null, new InvocationContext({ functionName: 'sweep' }));
    await settleQueue(env.stack, clock, 60_000);
    expect(printsOf(env.stack, 'I17')).toHaveLength(0);
    expect(demoRow(env.stack, 'I17')).toMatchObject({
      eol_dispatchstatus: 5,
      eol_dispatchreason: 'relation_disabled',
    });

    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I17'), { eol_resend: true });
    await send('I17');
    expect(printsOf(env.stack, 'I17')).toHaveLength(1);
  });
});
