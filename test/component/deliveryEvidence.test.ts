/**
 * "Sent" needs evidence that the channel went out. After a lost print answer Exact shows the invoice
 * processed either way; only the digital postbox leaves a record of the send (MailMessagesSent), paper is
 * on the print list, and for email and Peppol nobody knows: the invoice fails visibly, never "sent".
 */
import { DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { countRows, demoRow, postWebhook, printsOf, settleQueue, useManualClockStack } from './helpers';

const { clock, env } = useManualClockStack(new Date('2026-05-12T08:01:00Z'));

async function dispatch(key: string, answerLost: boolean): Promise<void> {
  if (answerLost)
    env.stack.exact.injectFault({
      method: 'POST',
      path: '/salesinvoice/PrintedSalesInvoices',
      kind: 'lostAfterWork',
    });
  await postWebhook(
    serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, key))),
  );
  await settleQueue(env.stack, clock, 60_000);
}

describe('delivery evidence after a lost print answer', () => {
  test('when Exact fails the postbox channel at print time and the answer is lost, then the invoice fails with delivery_unconfirmed, notified once, and says what to check', async () => {
    const emails = countRows(env.stack, 'emails');
    await dispatch('I22', true);
    expect(printsOf(env.stack, 'I22')).toEqual([
      expect.objectContaining({ channel: 'postbox', sent: false }),
    ]);
    const row = demoRow(env.stack, 'I22');
    expect(row).toMatchObject({ eol_dispatchstatus: 6, eol_dispatchreason: 'delivery_unconfirmed' });
    expect(String(row.eol_dispatchmessage)).toMatch(
      /answer was lost, so whether it went out by Exact's digital postbox is not known\. Check the invoice in Exact Online/,
    );
    expect(countRows(env.stack, 'emails')).toBe(emails + 1);
  });

  test('when an email print’s answer is lost, then it is not called sent: Exact keeps no record of the email', async () => {
    await dispatch('I1', true);
    expect(printsOf(env.stack, 'I1')).toEqual([expect.objectContaining({ channel: 'email', sent: true })]);
    expect(demoRow(env.stack, 'I1')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'delivery_unconfirmed',
    });
  });

  test('when a postbox print’s answer is lost, then the sent postbox message in Exact confirms it: sent', async () => {
    await dispatch('I10', true);
    expect(printsOf(env.stack, 'I10')).toHaveLength(1);
    expect(demoRow(env.stack, 'I10')).toMatchObject({
      eol_dispatchstatus: 4,
      eol_dispatchreason: 'sent_confirmed_after_lost_answer',
    });
  });

  test('when a paper invoice is printed, then it is on the print list, to be printed and posted — not sent', async () => {
    await dispatch('I12', false);
    const row = demoRow(env.stack, 'I12');
    expect(row).toMatchObject({
      eol_dispatchstatus: 9,
      eol_dispatchreason: 'on_print_list',
      eol_senton: null,
    });
    expect(String(row.eol_dispatchmessage)).toMatch(
      /^On the print list: .* still has to be printed and posted\.$/,
    );
  });

  test('when a paper print’s answer is lost, then its document in Exact puts it on the print list', async () => {
    await dispatch('I13', true);
    expect(printsOf(env.stack, 'I13')).toHaveLength(1);
    expect(demoRow(env.stack, 'I13')).toMatchObject({
      eol_dispatchstatus: 9,
      eol_dispatchreason: 'on_print_list',
    });
  });
});
