import { useLocalStack } from '../support/localStack';
import { InvocationContext } from '@azure/functions';
import { dataverseEvents, PermanentEventError } from '../../functions/dataverseEvents';
import { demoGuid, DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import {
  buildRemoteExecutionContext,
  invoiceCreatedEvent,
  serialiseLikeDataverse,
} from '../../sandbox/seed/remoteExecutionContext';

const env = useLocalStack();
const CLAIMS = 'http://schemas.microsoft.com/xrm/2011/Claims/';

function row(key: string): Record<string, unknown> {
  const r = env.stack.dataverse.get('demo')!.row('eol_salesinvoices', demoGuid(`row:${key}`));
  if (!r) throw new Error(`no demo row ${key}`);
  return r;
}

/** As the Functions worker hands it over: a JSON body already parsed, claims as application properties. */
function deliver(
  body: unknown,
  properties: Record<string, unknown> = {},
  where: 'applicationProperties' | 'userProperties' = 'applicationProperties',
) {
  const claims = {
    [`${CLAIMS}Organization`]: 'https://autoinvoicedemo.crm4.dynamics.com',
    [`${CLAIMS}EntityLogicalName`]: 'eol_salesinvoice',
    [`${CLAIMS}RequestName`]: 'Create',
    ...properties,
  };
  return dataverseEvents(
    JSON.parse(serialiseLikeDataverse(body)) as unknown,
    new InvocationContext({
      functionName: 'dataverseEvents',
      triggerMetadata: { messageId: 'm-1', deliveryCount: 1, [where]: claims },
      logHandler: () => undefined,
    }),
  );
}

const exactStatus = (key: string) => env.stack.exact.invoice(100001, demoGuid(`invoice:${key}`))?.Status;

describe('Service Bus intake of Dataverse events', () => {
  test('when Dataverse queues the RemoteExecutionContext of a ready invoice, then the dispatch is enqueued and the invoice ends sent in Exact and in Dataverse', async () => {
    const delivered = env.stack.queue.stats().delivered;
    await deliver(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row('I1')));
    await env.stack.queue.idle();
    expect(env.stack.queue.stats().delivered).toBe(delivered + 1);
    expect(exactStatus('I1')).toBe(50);
    expect(row('I1')).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
  });

  test('when the message was truncated (MessageMaxSizeExceeded, no Target or images), then the worker re-reads the row and sends it', async () => {
    const id = demoGuid('row:I2');
    const full = invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row('I2'));
    const {
      InputParameters: _i,
      PreEntityImages: _pre,
      PostEntityImages: _post,
      ParentContext: _p,
      ...truncated
    } = full;
    const dv = env.stack.dataverse.get('demo')!;
    const mark = dv.requests().length;
    // Older hosts put the properties in userProperties.
    await deliver(truncated, { [`${CLAIMS}MessageMaxSizeExceeded`]: 'true' }, 'userProperties');
    await env.stack.queue.idle();
    const reads = dv
      .requests()
      .slice(mark)
      .filter((r) => r.method === 'GET' && r.path.includes(`eol_salesinvoices(${id})`));
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(exactStatus('I2')).toBe(50);
    expect(row('I2').eol_dispatchstatus).toBe(4);
  });

  test('when a truncated message brings its dropped collections as null, then the worker re-reads the row and sends it', async () => {
    const full = invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row('I10'));
    const truncated = { ...full, InputParameters: null, PreEntityImages: null, PostEntityImages: null, ParentContext: null };
    await deliver(truncated, { [`${CLAIMS}MessageMaxSizeExceeded`]: 'true' });
    await env.stack.queue.idle();
    expect(exactStatus('I10')).toBe(50);
    expect(row('I10').eol_dispatchstatus).toBe(4);
  });

  test('when the organisation is not a tenant of this deployment, then the message is refused as permanent and nothing is enqueued', async () => {
    const delivered = env.stack.queue.stats().delivered;
    const foreign = invoiceCreatedEvent('99999999-9999-4999-8999-999999999999', row('I3'));
    await expect(deliver(foreign)).rejects.toThrow(PermanentEventError);
    await expect(deliver(foreign)).rejects.toThrow(
      /organisation 99999999-9999-4999-8999-999999999999 is not a tenant of this deployment/,
    );
    await env.stack.queue.idle();
    expect(env.stack.queue.stats().delivered).toBe(delivered);
    expect(exactStatus('I3')).toBe(20);
  });

  test.each([
    [
      'a body that is not a RemoteExecutionContext',
      { hello: 'world' },
      {},
      /malformed RemoteExecutionContext \(MessageName: is missing\)/,
    ],
    [
      'a PrimaryEntityId of 36 dashes',
      { ...invoiceCreatedEvent(DEMO_ORGANIZATION_ID, { eol_salesinvoiceid: '-'.repeat(36) }) },
      {},
      /malformed RemoteExecutionContext \(PrimaryEntityId: PrimaryEntityId must be a GUID\)/,
    ],
    [
      'claims that contradict the body',
      null,
      { [`${CLAIMS}EntityLogicalName`]: 'account' },
      /claim EntityLogicalName 'account' contradicts the body/,
    ],
  ])(
    'when the message has %s, then it is refused as permanent and nothing is enqueued',
    async (_name, body, props, message) => {
      const delivered = env.stack.queue.stats().delivered;
      await expect(
        deliver(body ?? invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row('I6')), props),
      ).rejects.toThrow(message);
      await env.stack.queue.idle();
      expect(env.stack.queue.stats().delivered).toBe(delivered);
      expect(exactStatus('I6')).toBe(20);
    },
  );

  test('when one attribute of the message nests 100,000 deep, then it is refused as permanent, naming the nesting, and nothing is enqueued', async () => {
    const delivered = env.stack.queue.stats().delivered;
    const deep = serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, row('I6'))).replace(
      '"eol_autodispatch","value":true',
      `"eol_autodispatch","value":${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    );
    const context = new InvocationContext({ functionName: 'dataverseEvents', triggerMetadata: { messageId: 'm-deep' }, logHandler: () => undefined });
    const refused = dataverseEvents(deep, context);
    await expect(refused).rejects.toThrow(PermanentEventError);
    await expect(dataverseEvents(deep, context)).rejects.toThrow(/malformed RemoteExecutionContext \(body nests deeper than 64 levels\)/);
    await env.stack.queue.idle();
    expect(env.stack.queue.stats().delivered).toBe(delivered);
  });

  test('when the message is the connector’s own writeback (an Update of status columns only), then nothing is enqueued', async () => {
    const delivered = env.stack.queue.stats().delivered;
    const writeback = buildRemoteExecutionContext({
      organizationId: DEMO_ORGANIZATION_ID,
      entityId: demoGuid('row:I7'),
      messageName: 'Update',
      attributes: {
        eol_dispatchstatus: { option: 4 },
        eol_dispatchreason: 'sent',
        eol_resend: false,
        eol_senton: new Date(),
      },
    });
    await deliver(writeback, { [`${CLAIMS}RequestName`]: 'Update' });
    await env.stack.queue.idle();
    expect(env.stack.queue.stats().delivered).toBe(delivered);
    expect(exactStatus('I7')).toBe(20);
  });
});
