/** The Dataverse adapter turns a RemoteExecutionContext into the connector's InvoiceChanged event. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInvoiceEvent, TRIGGER_ATTRIBUTES } from '../../../src/adapters/dataverse/invoiceChanged';
import {
  buildRemoteExecutionContext,
  serialiseLikeDataverse,
  type RecOptions,
} from '../../../sandbox/seed/remoteExecutionContext';

const ORG = '11111111-1111-4111-8111-111111111111';
const ROW = '22222222-2222-4222-8222-222222222222';
const ADMIN = '33333333-3333-4333-8333-333333333333';
const admin = { lookup: 'eol_administration', id: ADMIN.toUpperCase() };

function eventOf(o: Partial<RecOptions>, edit: (body: Record<string, unknown>) => void = () => undefined) {
  const body = buildRemoteExecutionContext({
    organizationId: ORG,
    entityId: ROW,
    attributes: {},
    operationId: 'op-1',
    ...o,
  });
  edit(body);
  const parsed = parseInvoiceEvent(serialiseLikeDataverse(body));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.event;
}

describe('InvoiceChanged from a RemoteExecutionContext', () => {
  test('when a user creates an invoice row, then it is a create of an invoice with its triggers and administration', () => {
    expect(
      eventOf({
        messageName: 'Create',
        attributes: {
          eol_exactinvoiceid: ROW,
          eol_autodispatch: true,
          eol_name: 'SO-1',
          eol_administrationid: admin,
        },
      }),
    ).toEqual({
      organizationId: ORG,
      isInvoice: true,
      tableName: 'eol_salesinvoice',
      operationName: 'Create',
      operation: 'create',
      rowId: ROW,
      operationKey: 'op-1',
      administrationId: ADMIN,
      changes: { triggers: ['exactInvoice', 'autoDispatch'], createdByConnector: false },
    });
  });

  test('when the connector’s sweep created the row (it carries a dispatch status), then the event says so', () => {
    expect(
      eventOf({
        messageName: 'Create',
        attributes: { eol_exactinvoiceid: ROW, eol_dispatchstatus: { option: 1 } },
      }).changes,
    ).toEqual({ triggers: ['exactInvoice'], createdByConnector: true });
  });

  test.each([
    ['Resend set to yes', { eol_resend: true }, ['resend']],
    [
      'Resend set back to no (the connector’s writeback)',
      { eol_resend: false, eol_dispatchstatus: { option: 4 } },
      [],
    ],
    ['the invoice date', { eol_invoicedate: new Date(Date.UTC(2026, 0, 5)) }, ['invoiceDate']],
  ] as const)(
    'when an update changes %s, then only the triggers it set are named',
    (_what, attributes, triggers) => {
      const e = eventOf({ messageName: 'Update', attributes: { ...attributes } });
      expect(e).toMatchObject({ operation: 'update', changes: { triggers, createdByConnector: false } });
    },
  );

  test('when the payload was truncated (no Target), then the changes are unknown and the administration comes from the post image', () => {
    const e = eventOf(
      { messageName: 'Update', attributes: {}, postImage: { eol_administrationid: admin } },
      (b) => (b.InputParameters = null),
    );
    expect(e).toMatchObject({ changes: null, administrationId: ADMIN });
  });

  test.each([
    [
      'another table',
      { entityName: 'account', messageName: 'Update' as const },
      { isInvoice: false, tableName: 'account' },
    ],
    [
      'a delete',
      { messageName: 'Delete' as const },
      { isInvoice: true, operation: 'other', operationName: 'Delete' },
    ],
  ])('when the event is %s, then the event says so', (_what, o, expected) => {
    expect(eventOf(o)).toMatchObject(expected);
  });

  test('when the webhook step is provisioned, then its filtering attributes are the trigger columns', () => {
    expect(TRIGGER_ATTRIBUTES).toEqual([
      'eol_exactinvoiceid',
      'eol_autodispatch',
      'eol_resend',
      'eol_invoicedate',
      'eol_sendnow',
    ]);
  });
});

describe('the intake speaks the connector’s words', () => {
  test('when src/app/intake.ts is read, then it names no eol_ column and imports no adapter', () => {
    const source = readFileSync(join(__dirname, '../../../src/app/intake.ts'), 'utf8');
    expect(source).not.toMatch(/eol_/);
    expect(source).not.toMatch(/from '\.\.\/adapters\//);
  });
});
