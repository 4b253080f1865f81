/**
 * "Unknown retries later" (issue 16 item 4) on the real queue: a Dataverse event for an invoice whose receiver
 * the Peppol network cannot be asked about (SERVFAIL at the SML) is redelivered, nothing is printed and the
 * invoice is not failed; once the network answers, the redelivery sends it, once.
 */
import { DEMO_ORGANIZATION_ID, demoGuid } from '../../sandbox/seed/demo';
import {
  buildRemoteExecutionContext,
  serialiseLikeDataverse,
} from '../../sandbox/seed/remoteExecutionContext';
import { smlDnsName } from '../../src/domain/peppol';
import { ADMIN_A, demoRow, postWebhook, printPosts, settleQueue, useManualClockStack } from './helpers';

const { clock, env } = useManualClockStack(new Date('2026-05-12T08:01:00Z'));
const PEPPOL_PARTNERS = '0106:12345678'; // R3, automatic, this Peppol id in Exact; invoice I6

describe('a Peppol lookup that cannot be answered', () => {
  test('when the SML answers SERVFAIL, then the event is redelivered without a print or a failure, and sent by Peppol once the network answers', async () => {
    env.stack.peppol.set(PEPPOL_PARTNERS, 'servfail');
    const asked = () =>
      env.stack.peppol.dnsQueries.filter((q) => q === smlDnsName(PEPPOL_PARTNERS, env.stack.peppol.zone))
        .length;
    const event = buildRemoteExecutionContext({
      organizationId: DEMO_ORGANIZATION_ID,
      entityId: demoGuid('row:I6'),
      messageName: 'Create',
      attributes: { eol_administrationid: { lookup: 'eol_administration', id: ADMIN_A } },
    });
    expect((await postWebhook(serialiseLikeDataverse(event))).status).toBe(202);
    await settleQueue(env.stack, clock, 20_000);
    const invoiceId = demoGuid('invoice:I6');
    expect(printPosts(env.stack).get(invoiceId) ?? 0).toBe(0);
    // One SML question per lookup (SERVFAIL is not retried by the resolver): two or more = redelivered.
    expect(asked()).toBeGreaterThanOrEqual(2);
    expect(demoRow(env.stack, 'I6').eol_dispatchstatus).not.toBe(6);
    expect(demoRow(env.stack, 'I6').eol_dispatchreason ?? null).not.toBe('peppol_not_registered');

    env.stack.peppol.set(PEPPOL_PARTNERS, 'registered');
    await settleQueue(env.stack, clock);
    expect(printPosts(env.stack).get(invoiceId)).toBe(1);
    expect(env.stack.exact.prints().find((p) => p.invoiceId === invoiceId)).toMatchObject({
      channel: 'peppol',
      sent: true,
    });
  });
});
