import { demoGuid, DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';
import { postWebhook } from './helpers';

const env = useLocalStack();

const post = postWebhook;

function row(key: string): Record<string, unknown> {
  const r = env.stack.dataverse.get('demo')!.row('eol_salesinvoices', demoGuid(`row:${key}`));
  if (!r) throw new Error(`no demo row ${key}`);
  return r;
}

describe('webhook → queue → worker → Exact → Dataverse writeback', () => {
  test('when Dataverse posts the documented RemoteExecutionContext for a ready invoice, then Exact processes it (status 50) and the row shows sent with Sent on', async () => {
    const before = env.stack.exact.invoice(100001, demoGuid('invoice:I1'));
    expect(before?.Status).toBe(20);

    const res = await post(serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row('I1'))));
    expect(res.status).toBe(202);
    await env.stack.queue.idle();

    expect(env.stack.exact.invoice(100001, demoGuid('invoice:I1'))?.Status).toBe(50);
    const prints = env.stack.exact.prints().filter((p) => p.invoiceId === demoGuid('invoice:I1'));
    expect(prints).toHaveLength(1);
    expect(prints[0]!.channel).toBe('email');
    const after = row('I1');
    expect(after.eol_dispatchstatus).toBe(4);
    expect(after.eol_dispatchchannel).toBe(3);
    expect(after.eol_dispatchreason).toBe('sent');
    expect(after.eol_senton).toEqual(expect.any(String));
    // Exact mails the address of its own account, not the two addresses Dynamics holds: the message names
    // exactly the recipient the Exact sandbox recorded for the print.
    expect(prints[0]!.recipients).toEqual(['factuur@dehoek.example']);
    expect(String(after.eol_dispatchmessage)).toBe(
      'Sent by email: Exact Online sent it to factuur@dehoek.example (the email address Exact Online holds for relation Café De Hoek).',
    );
  });

  test('when the key is missing or wrong, then 401 and nothing is enqueued', async () => {
    const delivered = env.stack.queue.stats().delivered;
    const body = serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row('I2')));
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'x-autoinvoice-key': 'wrong-secret' })).status).toBe(401);
    await env.stack.queue.idle();
    expect(env.stack.queue.stats().delivered).toBe(delivered);
    expect(env.stack.exact.invoice(100001, demoGuid('invoice:I2'))?.Status).toBe(20);
  });

  test.each([
    ['not JSON', '{"MessageName":', /not valid JSON/],
    ['an array', '[]', /RemoteExecutionContext JSON object/],
    [
      'no PrimaryEntityId',
      JSON.stringify({
        MessageName: 'Create',
        PrimaryEntityName: 'eol_salesinvoice',
        OrganizationId: DEMO_ORGANIZATION_ID,
      }),
      /PrimaryEntityId: is missing/,
    ],
    [
      'a PrimaryEntityId that is no GUID',
      JSON.stringify({
        MessageName: 'Create',
        PrimaryEntityName: 'eol_salesinvoice',
        PrimaryEntityId: 'x',
        OrganizationId: DEMO_ORGANIZATION_ID,
      }),
      /PrimaryEntityId must be a GUID/,
    ],
  ])(
    'when the body is %s, then 400 names the problem and nothing is enqueued',
    async (_name, body, problem) => {
      const delivered = env.stack.queue.stats().delivered;
      const res = await post(body);
      expect(res.status).toBe(400);
      expect((res.jsonBody as { error: string }).error).toMatch(problem);
      await env.stack.queue.idle();
      expect(env.stack.queue.stats().delivered).toBe(delivered);
    },
  );

  test('when a valid key comes with another tenant’s organisation id, then 403 and nothing is enqueued', async () => {
    const delivered = env.stack.queue.stats().delivered;
    const res = await post(
      serialiseLikeDataverse(invoiceCreatedEvent('99999999-9999-4999-8999-999999999999', row('I2'))),
    );
    expect(res.status).toBe(403);
    await env.stack.queue.idle();
    expect(env.stack.queue.stats().delivered).toBe(delivered);
  });
});
