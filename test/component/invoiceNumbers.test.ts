import { dispatchInvoices } from '../../src/app/dispatch';
import { sweepOneAdministration } from '../../src/app/sweep';
import { sweepDeps } from '../../src/composition/runtime';
import { demoGuid } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { demoDeps, demoRow, quiet, rowsOf, sweepAll } from './helpers';

const env = useLocalStack();

const request = (key: string) => rowsOf([key]);

const dataverseWrites = (from: number) =>
  env.stack.dataverse
    .get('demo')!
    .requests()
    .slice(from)
    .filter((r) => r.method === 'PATCH' || r.path.endsWith('$batch'));
const dataverseRequests = () => env.stack.dataverse.get('demo')!.requests().length;

const statusCalls = () =>
  env.stack.exact
    .requests()
    .filter((r) => r.method === 'GET' && r.path.endsWith('/salesinvoice/SalesInvoices')).length;

describe('invoice numbers read back after printing', () => {
  test('when a second invoice is dispatched, then the first one’s number rides along on its status call (no extra call)', async () => {
    await dispatchInvoices(demoDeps(env.stack), request('I2'));
    const first = env.stack.exact.invoice(100001, demoGuid('invoice:I2'));
    expect(first?.Status).toBe(50);
    expect(demoRow(env.stack, 'I2').eol_invoicenumber ?? null).toBeNull();

    const callsBefore = statusCalls();
    await dispatchInvoices(demoDeps(env.stack), request('I6'));
    expect(statusCalls() - callsBefore).toBe(1);
    expect(demoRow(env.stack, 'I2').eol_invoicenumber).toBe(first!.InvoiceNumber);
    expect(demoRow(env.stack, 'I2').eol_dispatchstatus).toBe(4);
  });

  test('when a number is read back, then it goes in the same Dataverse request as the next invoice’s writeback', async () => {
    await dispatchInvoices(demoDeps(env.stack), request('I1'));
    const from = dataverseRequests();
    await dispatchInvoices(demoDeps(env.stack), request('I3'));
    const writes = dataverseWrites(from);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.path).toMatch(/\$batch$/);
    expect(demoRow(env.stack, 'I1').eol_invoicenumber).toBe(
      env.stack.exact.invoice(100001, demoGuid('invoice:I1'))?.InvoiceNumber,
    );
    expect(demoRow(env.stack, 'I3')).toMatchObject({ eol_dispatchstatus: 4, eol_dispatchreason: 'sent' });
  });

  test('when the row write of a read-back number fails, then the ledger does not take the number and the next status call reads it back again', async () => {
    await dispatchInvoices(demoDeps(env.stack), request('I14'));
    const deps = demoDeps(env.stack);
    const i14Row = demoGuid('row:I14');
    // Dataverse refuses the number's write (a permanent fault for that row only); I15's own write lands.
    const refusing = Object.create(deps.records) as typeof deps.records;
    refusing.writeDispatches = async (writes) => {
      const results = await deps.records.writeDispatches(writes.filter((w) => w.rowId !== i14Row));
      return writes.map((w) => (w.rowId === i14Row ? new Error('refused') : results.shift()!));
    };
    await dispatchInvoices({ ...deps, records: refusing }, request('I15'));
    expect(demoRow(env.stack, 'I14').eol_invoicenumber ?? null).toBeNull();
    const key = { tenantId: 'demo', division: 100001, invoiceId: demoGuid('invoice:I14') };
    expect((await deps.ledger.get(key))?.invoiceNumber).toBeNull();

    const callsBefore = statusCalls();
    await dispatchInvoices(demoDeps(env.stack), request('I11'));
    expect(statusCalls() - callsBefore).toBe(1);
    expect(demoRow(env.stack, 'I14').eol_invoicenumber).toBe(
      env.stack.exact.invoice(100001, demoGuid('invoice:I14'))?.InvoiceNumber,
    );
    expect((await deps.ledger.get(key))?.invoiceNumber).toBe(
      env.stack.exact.invoice(100001, demoGuid('invoice:I14'))?.InvoiceNumber,
    );
  });

  test('when prints wait for their number at the sweep, then the sweep’s own listing brings their numbers (one Exact call) and one Dataverse request writes them', async () => {
    const keys = ['I12', 'I13'];
    // One request: neither print's status call can carry the other's number.
    await dispatchInvoices(demoDeps(env.stack), rowsOf(keys));
    for (const key of keys) expect(demoRow(env.stack, key).eol_invoicenumber ?? null).toBeNull();
    const rt = env.stack.runtime;
    const tenant = rt.tenants.find((t) => t.name === 'demo')!;
    const base = sweepDeps(rt, tenant);
    const queue = { enqueue: async () => undefined };
    const exactFrom = env.stack.exact.requests().length;
    const dvFrom = dataverseRequests();
    await sweepOneAdministration({ ...base, queue }, demoGuid('admin:A'), false);

    const calls = env.stack.exact
      .requests()
      .slice(exactFrom)
      .map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\/\d+\//, '')}`);
    // One listing: the open invoices and the processed ones since the oldest waiting print; no status call.
    expect(calls).toEqual(['GET bulk/SalesInvoice/SalesInvoices']);
    // (The sweep's other $batch creates the rows of recurring invoices.)
    const numberWrites = dataverseWrites(dvFrom).filter(
      (r) =>
        r.method === 'PATCH' || (r.body as Array<{ method: string }>).some((op) => op.method === 'PATCH'),
    );
    expect(numberWrites).toHaveLength(1);
    expect(numberWrites[0]!.path).toMatch(/\$batch$/);
    for (const key of keys)
      expect(demoRow(env.stack, key).eol_invoicenumber).toBe(
        env.stack.exact.invoice(100001, demoGuid(`invoice:${key}`))?.InvoiceNumber,
      );
  });

  test('when no later dispatch comes, then the sweep reads the number back in one call for the batch', async () => {
    await dispatchInvoices(demoDeps(env.stack), request('I7'));
    expect(demoRow(env.stack, 'I7').eol_invoicenumber ?? null).toBeNull();
    await sweepAll(env.stack);
    await quiet(env.stack);
    expect(demoRow(env.stack, 'I7').eol_invoicenumber).toBe(
      env.stack.exact.invoice(100001, demoGuid('invoice:I7'))?.InvoiceNumber,
    );
  });
});
