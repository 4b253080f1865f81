/** The confirm read names the invoice's contact person (decision 0070) in the same one call, against the sandbox. */
import { startExactSandbox, type ExactSandbox } from '../../../sandbox/exact';
import { createExactGateway } from '../../../src/adapters/exact/exactClient';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';
import { DIV, accountId, contactId, masterSeed } from './masterDataSupport';

const invoice = (n: number) => `33333333-0000-0000-0000-${String(n).padStart(12, '0')}`;
let sb: ExactSandbox;

beforeAll(async () => {
  const seed = masterSeed(3);
  seed.divisions[0]!.invoices = [
    { InvoiceID: invoice(1), InvoiceTo: accountId(1), InvoiceDate: '2026-12-01', Status: 20 },
    {
      InvoiceID: invoice(2),
      InvoiceTo: accountId(1),
      InvoiceToContactPerson: contactId(2),
      InvoiceDate: '2026-12-01',
      Status: 20,
    },
    { InvoiceID: invoice(3), InvoiceTo: accountId(2), InvoiceDate: '2026-12-01', Status: 20 },
  ];
  sb = await startExactSandbox({ seed });
});
afterAll(() => sb.close());

test('when three invoices are confirmed, then one call gives each InvoiceTo and InvoiceToContactPerson (the main contact when none was given, null when the account has none)', async () => {
  const { accessToken } = await sb.authorize();
  const gateway = createExactGateway({
    baseUrl: sb.url,
    connectionId: 'tenant-1',
    tokens: { getAccessToken: async () => accessToken },
    governor: createRateGovernor({ sleep: async (ms) => sb.clock.advance(ms) }),
  });
  const states = await gateway.confirmStatuses(DIV, [invoice(1), invoice(2), invoice(3)]);
  expect(gateway.stats().calls).toBe(1);
  expect(sb.requests()[0]?.query.$select?.split(',')).toEqual(
    expect.arrayContaining(['InvoiceTo', 'InvoiceToContactPerson']),
  );
  expect(
    [1, 2, 3].map((n) => states.get(invoice(n))).map((s) => [s?.invoiceTo, s?.invoiceToContactPerson]),
  ).toEqual([
    [accountId(1), contactId(1)],
    [accountId(1), contactId(2)],
    [accountId(2), null],
  ]);
});
