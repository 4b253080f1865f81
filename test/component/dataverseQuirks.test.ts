import { ManualClock, systemClock } from '../../src/adapters/queue/clock';
import {
  dataverseSeed,
  demoGuid,
  DEMO_ORGANIZATION_ID,
  DEMO_OWNER_ID,
  exactSeed,
} from '../../sandbox/seed/demo';
import {
  buildRemoteExecutionContext,
  invoiceCreatedEvent,
  serialiseLikeDataverse,
  type RecValue,
} from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';
import {
  ADMIN_A,
  countRows,
  demoRow,
  editRow,
  postWebhook,
  printsOf,
  settleQueue,
  sweepAll,
} from './helpers';

const START = new Date('2026-05-12T08:01:00Z');
const clock = new ManualClock(START);
const sleeps: number[] = [];

// 30 extra open invoices in administration B for English Client Ltd, whose email has no layout in B: all fail
// (layout_missing) in one sweep.
const exact = exactSeed(START);
exact.divisions
  .find((d) => d.division === 100002)!
  .invoices.push(
    ...Array.from({ length: 30 }, (_, i) => ({
      InvoiceID: demoGuid(`invoice:digest-${i}`),
      InvoiceTo: demoGuid('account:R13'),
      OrderedBy: demoGuid('account:R13'),
      InvoiceDate: START.toISOString().slice(0, 10),
      Status: 20 as const,
      InvoiceNumber: null,
      Type: 8020,
      Description: `Abonnement English Client ${i + 1}`,
      OrderNumber: null,
      AmountDC: 50 + i,
      Journal: '70',
    })),
  );

const env = useLocalStack({
  clock,
  timers: clock,
  exactClock: systemClock,
  today: START,
  customSeed: { exact, dataverse: dataverseSeed(START) },
  dataverseSleep: async (ms) => void sleeps.push(ms),
  exact: { minutelyLimit: 100_000, dailyLimit: 100_000 },
});

const dv = () => env.stack.dataverse.get('demo')!;
const patchesOf = (key: string) =>
  dv()
    .requests()
    .filter((r) => r.method === 'PATCH' && r.path.includes(demoGuid(`row:${key}`)));

function updateEvent(key: string, attributes: Record<string, RecValue>): Record<string, unknown> {
  return buildRemoteExecutionContext({
    organizationId: DEMO_ORGANIZATION_ID,
    entityId: demoGuid(`row:${key}`),
    messageName: 'Update',
    attributes,
  });
}

describe('Dataverse quirks through the webhook, the worker and the writeback', () => {
  test('when Dataverse truncates the payload (size header, no Target), then the worker re-reads the row and dispatches normally', async () => {
    const event = updateEvent('I1', {});
    event.InputParameters = [];
    const res = await postWebhook(serialiseLikeDataverse(event), {
      'x-autoinvoice-key': 'demo-secret',
      'x-ms-dynamics-msg-size-exceeded': 'true',
    });
    expect(res.status).toBe(202);
    expect(res.jsonBody).toMatchObject({ accepted: true });
    await settleQueue(env.stack, clock, 0);
    expect(printsOf(env.stack, 'I1')).toHaveLength(1);
    expect(demoRow(env.stack, 'I1')).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
  });

  test('when the connector’s own writeback comes back as an Update event, then nothing is enqueued', async () => {
    const written = patchesOf('I1').at(-1)!.body as Record<string, unknown>;
    expect(written.eol_dispatchstatus).toBe(4);
    const attributes: Record<string, RecValue> = { eol_resend: false, modifiedon: clock.now() };
    for (const [k, v] of Object.entries(written)) {
      if (k === 'eol_dispatchstatus' || k === 'eol_dispatchchannel')
        attributes[k] = v === null ? null : { option: Number(v) };
      else if (k === 'eol_senton' || k === 'eol_scheduledfor')
        attributes[k] = v === null ? null : new Date(String(v));
      else attributes[k] = v as RecValue;
    }
    const before = env.stack.queue.stats();
    const res = await postWebhook(serialiseLikeDataverse(updateEvent('I1', attributes)));
    expect(res.status).toBe(202);
    expect(res.jsonBody).toMatchObject({ accepted: false });
    await settleQueue(env.stack, clock, 0);
    const after = env.stack.queue.stats();
    expect(after.delivered).toBe(before.delivered);
    expect(after.duplicatesDropped).toBe(before.duplicatesDropped);
  });

  test('when Dataverse answers the writeback with 429 and Retry-After, then the connector waits that long and the write lands', async () => {
    // The writeback goes alone (PATCH) or with invoice numbers read back riding along ($batch, decision 0150).
    dv().injectThrottle({ method: 'PATCH', path: 'eol_salesinvoices', count: 1, retryAfterSeconds: 7 });
    dv().injectThrottle({ method: 'POST', path: '$batch', count: 1, retryAfterSeconds: 7 });
    const from = dv().requests().length;
    const res = await postWebhook(
      serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, 'I3'))),
    );
    expect(res.status).toBe(202);
    await settleQueue(env.stack, clock, 0);

    expect(sleeps).toContain(7_000);
    // Whichever writeback met the 429, the same request landed after it.
    const patches = dv()
      .requests()
      .slice(from)
      .filter((r) => r.method === 'PATCH' || r.path.endsWith('$batch'));
    const refused = patches.findIndex((r) => r.status === 429);
    expect(refused).toBeGreaterThanOrEqual(0);
    expect(patches[refused + 1]!.path).toBe(patches[refused]!.path);
    // A PATCH answers 204; a $batch answers 200 with each operation's answer inside.
    expect(patches[refused + 1]!.status).toBe(patches[refused]!.method === 'PATCH' ? 204 : 200);
    expect(printsOf(env.stack, 'I3')).toHaveLength(1);
    expect(demoRow(env.stack, 'I3')).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
  });

  test('when one invoice fails twice for the same cause (a second event, then a resend), then one email and one in-app notification are sent', async () => {
    const emails = countRows(env.stack, 'emails');
    const toasts = countRows(env.stack, 'appnotifications');
    // I19: Geen Mail BV wants email but has no address (email_missing).
    for (let i = 0; i < 2; i++) {
      await postWebhook(
        serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, 'I19'))),
      );
      await settleQueue(env.stack, clock, 0);
    }
    editRow(env.stack, 'eol_salesinvoices', demoGuid('row:I19'), { eol_resend: true });
    await postWebhook(
      serialiseLikeDataverse(
        updateEvent('I19', {
          eol_resend: true,
          eol_administrationid: { lookup: 'eol_administration', id: ADMIN_A },
        }),
      ),
    );
    await settleQueue(env.stack, clock, 0);

    expect(demoRow(env.stack, 'I19')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'email_missing',
      eol_resend: false,
    });
    expect(countRows(env.stack, 'emails')).toBe(emails + 1);
    expect(countRows(env.stack, 'appnotifications')).toBe(toasts + 1);
    expect(
      countRows(env.stack, 'appnotifications', (r) => r._ownerid_value === DEMO_OWNER_ID),
    ).toBeGreaterThanOrEqual(1);
  });

  test('when one sweep fails 30 invoices of an administration, then one digest email is sent for them, not 30', async () => {
    const before = new Set(
      dv()
        .rows('emails')
        .map((r) => r.activityid),
    );
    await sweepAll(env.stack);
    await settleQueue(env.stack, clock, 0);

    // Notifications only: the invoice emails the Dynamics route sends from its mailbox are not notices.
    const fresh = dv()
      .rows('emails')
      .filter((r) => !before.has(r.activityid))
      .filter(
        (r) =>
          !dv()
            .mail.parties(String(r.activityid))
            .some((p) => p.partyType === 'queue'),
      );
    const jansen = fresh.filter((r) => /Jansen Services BV/.test(String(r.subject)));
    expect(jansen).toHaveLength(1);
    const n = Number(/(\d+) invoices/.exec(String(jansen[0]!.subject))?.[1]);
    expect(n).toBeGreaterThanOrEqual(30);
    // No per-invoice email for any of them: at most one digest per administration.
    expect(fresh.length).toBeLessThanOrEqual(2);
    const digestRows = dv()
      .rows('eol_salesinvoices')
      .filter((r) => r.eol_dispatchreason === 'layout_missing');
    expect(digestRows.length).toBeGreaterThanOrEqual(31);
  });
});
