/** The Send now command's column (eol_sendnow) starts a decision as Resend does; the connector's reset does not. */
import { parseInvoiceEvent } from '../../../../src/adapters/dataverse/invoiceChanged';
import { toDispatchColumns, toInvoiceRow } from '../../../../src/adapters/dataverse/mapping';
import {
  buildRemoteExecutionContext,
  serialiseLikeDataverse,
} from '../../../../sandbox/seed/remoteExecutionContext';

const ORG = '11111111-1111-4111-8111-111111111111';
const ROW = '22222222-2222-4222-8222-222222222222';

function triggersOf(attributes: Record<string, unknown>) {
  const body = buildRemoteExecutionContext({
    organizationId: ORG,
    entityId: ROW,
    messageName: 'Update',
    attributes: attributes as never,
  });
  const parsed = parseInvoiceEvent(serialiseLikeDataverse(body));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.event.changes?.triggers;
}

describe('Send now (eol_sendnow)', () => {
  test('when a user sets eol_sendnow to yes, then the event carries the resend trigger', () => {
    expect(triggersOf({ eol_sendnow: true })).toEqual(['resend']);
  });

  test('when the connector sets eol_sendnow back to no, then the event carries no trigger (no second dispatch)', () => {
    expect(triggersOf({ eol_sendnow: false, eol_resend: false })).toEqual([]);
  });

  test('when a row has eol_sendnow yes, then it is read as a request for a new decision and the writeback clears both request columns', () => {
    const row = toInvoiceRow({
      eol_salesinvoiceid: ROW,
      eol_sendnow: true,
      eol_resend: false,
    } as never);
    expect(row.resend).toBe(true);
    const data = toDispatchColumns({
      status: 4,
      channel: 'email',
      reason: 'sent',
      message: 'Verzonden',
      scheduledFor: null,
      sentOn: null,
      attempts: 1,
      invoiceNumber: null,
      clearResend: true,
    } as never);
    expect(data).toMatchObject({ eol_resend: false, eol_sendnow: false });
  });
});
