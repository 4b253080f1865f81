/**
 * The Dynamics route needs Exact's "Organization documents" scope to read the PDF (round2-facts §4.5):
 * without it the invoice, already processed by Exact, fails with a message naming the scope; once the scope
 * is granted, Resend emails the existing document without printing again.
 */
import { ManualClock, systemClock } from '../../src/adapters/queue/clock';
import { demoGuid, DEMO_ORGANIZATION_ID, invoices } from '../../sandbox/seed/demo';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';
import { demoRow, editRow, postWebhook, printsOf, settleQueue } from './helpers';

const START = new Date('2026-05-12T08:01:00Z');
const clock = new ManualClock(START);
const env = useLocalStack({
  clock,
  timers: clock,
  exactClock: systemClock,
  today: START,
  exact: { minutelyLimit: 100_000, dailyLimit: 100_000 },
});

const key = invoices.find((i) => i.relation === 'R21')!.key;

async function dispatch(): Promise<void> {
  const event = serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, key)));
  expect((await postWebhook(event)).status).toBe(202);
  await settleQueue(env.stack, clock, 0);
}

test('when the Exact app lacks the Organization documents scope, then the processed invoice fails naming the scope, and Resend after granting it emails the document without printing again', async () => {
  const exact = env.stack.exact;
  const all = exact.scopes();
  exact.setScopes(all.filter((s) => s !== 'Organization documents'));
  await dispatch();
  expect(printsOf(env.stack, key)).toHaveLength(1);
  const failed = demoRow(env.stack, key);
  expect(failed).toMatchObject({ eol_dispatchstatus: 6, eol_dispatchreason: 'email_send_failed' });
  expect(String(failed.eol_dispatchmessage)).toContain('Organization documents');
  expect(env.stack.dataverse.get('demo')!.mail.emailsRegarding(demoGuid(`row:${key}`)).length).toBeLessThan(
    2,
  );

  exact.setScopes(all);
  editRow(env.stack, 'eol_salesinvoices', demoGuid(`row:${key}`), { eol_resend: true });
  await dispatch();
  expect(printsOf(env.stack, key)).toHaveLength(1);
  expect(demoRow(env.stack, key)).toMatchObject({
    eol_dispatchstatus: 3,
    eol_dispatchreason: 'email_pending',
    eol_resend: false,
  });
});
