/**
 * The row AutoInvoice wrote in Dataverse is evidence: when the dispatch ledger loses an entry (a restored or
 * recreated storage account), a sent invoice stays sent — with its Sent on and its message — and its ledger
 * entry is rebuilt from the row instead of the invoice being decided again.
 */
import { createTableClient } from '../../src/adapters/store/tables';
import { DEFAULT_LEDGER_TABLE } from '../../src/adapters/store/tableLedger';
import { demoGuid, DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import { invoiceCreatedEvent, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { demoRow, postWebhook, printsOf, settleQueue, useManualClockStack } from './helpers';

const { clock, env } = useManualClockStack(new Date('2026-05-12T08:01:00Z'));

const event = (key: string) =>
  serialiseLikeDataverse(invoiceCreatedEvent(DEMO_ORGANIZATION_ID, demoRow(env.stack, key)));

describe('a lost ledger entry', () => {
  test('when the ledger entry of a sent invoice is lost and its event comes again, then the row stays sent and the entry is rebuilt from it', async () => {
    await postWebhook(event('I2'));
    await settleQueue(env.stack, clock, 60_000);
    const sent = demoRow(env.stack, 'I2');
    expect(sent).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
    expect(sent.eol_senton).toEqual(expect.any(String));

    const table = createTableClient(env.stack.azurite.connectionString, DEFAULT_LEDGER_TABLE);
    await table.deleteEntity('demo:100001', demoGuid('invoice:I2'));
    expect(
      await env.stack.runtime.ledger.get({
        tenantId: 'demo',
        division: 100001,
        invoiceId: demoGuid('invoice:I2'),
      }),
    ).toBeNull();

    clock.advance(60_000);
    await postWebhook(event('I2'));
    await settleQueue(env.stack, clock, 60_000);

    expect(demoRow(env.stack, 'I2')).toMatchObject({
      eol_dispatchstatus: 4,
      eol_dispatchreason: 'sent',
      eol_senton: sent.eol_senton,
      eol_dispatchmessage: sent.eol_dispatchmessage,
    });
    expect(printsOf(env.stack, 'I2')).toHaveLength(1);
    const rebuilt = await env.stack.runtime.ledger.get({
      tenantId: 'demo',
      division: 100001,
      invoiceId: demoGuid('invoice:I2'),
    });
    expect(rebuilt).toMatchObject({
      state: 'sent',
      reason: 'sent',
      channel: 'email',
      sentOn: new Date(String(sent.eol_senton)),
    });
    expect(rebuilt!.history.at(-1)).toMatchObject({
      outcome: 'sent',
      detail: 'ledger entry rebuilt from the Dataverse row',
    });
  });
});
