import { createPeppolDirectory, createPeppolLookup } from '../../src/adapters/peppol';
import { dispatchInvoices } from '../../src/app/dispatch';
import type { DispatchDeps } from '../../src/app/dispatch';
import { PeppolUnavailableError } from '../../src/app/peppol/errors';
import { peppolReceivers } from '../../src/app/peppol/receivers';
import type { ExactGateway, InvoiceRecords } from '../../src/app/ports';
import type { RelationFacts } from '../../src/domain/types';
import { startPeppolSandbox, type PeppolSandbox } from '../../sandbox/peppol';
import { demoGuid } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { demoDeps, demoRow, printsOf, rowsOf } from './helpers';

const env = useLocalStack();
let peppol: PeppolSandbox;
beforeAll(async () => {
  peppol = await startPeppolSandbox({ participants: {}, timeoutMs: 5000 });
}, 60_000);
afterAll(() => peppol.close());

const R3_ID = '0106:12345678'; // Peppol Partners BV: automatic, this Peppol id, and an email address
const R16_ID = '0106:87654321'; // Peppol Kapot BV: explicit Peppol

/** The dispatch with the lookup against the sandbox network (no cache unless asked). */
function deps(over: { cache?: boolean; relation?: Partial<RelationFacts>; creditNotes?: string[] } = {}) {
  const base = demoDeps(env.stack);
  // With the cache: the factory the composition uses (network → Table Storage cache → Dutch order).
  const receivers = over.cache
    ? createPeppolLookup({ ...peppol.directoryOptions(), storage: env.stack.azurite.connectionString })
    : peppolReceivers(createPeppolDirectory(peppol.directoryOptions()));
  const d: DispatchDeps = { ...base, peppol: receivers };
  if (over.relation) d.records = withRelation(base.records, over.relation);
  if (over.creditNotes)
    d.exact = asCreditNotes(
      base.exact,
      over.creditNotes.map((k) => demoGuid(`invoice:${k}`)),
    );
  return d;
}

/** The relation as the master-data mirror will fill it (KvK, VAT …), over what the demo row holds. */
function withRelation(records: InvoiceRecords, extra: Partial<RelationFacts>): InvoiceRecords {
  const wrapped = Object.create(records) as InvoiceRecords;
  const edit = <T extends { relation: RelationFacts | null } | null>(ctx: T): T =>
    ctx && ctx.relation ? { ...ctx, relation: { ...ctx.relation, ...extra } } : ctx;
  wrapped.loadContext = async (rowId) => edit(await records.loadContext(rowId));
  wrapped.loadContexts = async (rowIds) => {
    const all = await records.loadContexts(rowIds);
    return new Map([...all].map(([k, ctx]) => [k, edit(ctx)]));
  };
  return wrapped;
}

/** Exact's status answer says credit note (type 8021) for these invoices. */
function asCreditNotes(exact: ExactGateway, ids: string[]): ExactGateway {
  const wrapped = Object.create(exact) as ExactGateway;
  wrapped.confirmStatuses = async (division, invoiceIds) => {
    const states = await exact.confirmStatuses(division, invoiceIds);
    for (const [id, s] of states)
      if (ids.includes(id.toLowerCase())) states.set(id, { ...s, type: 8021, creditNote: true });
    return states;
  };
  return wrapped;
}

describe('dispatch with the Peppol receiver lookup (issue 16)', () => {
  test('when an automatic relation is registered on Peppol, then Exact is asked to send by Peppol', async () => {
    peppol.set(R3_ID, 'registered');
    const [line] = await dispatchInvoices(deps(), rowsOf(['I6']));
    expect(line).toMatchObject({ channel: 'peppol' });
    expect(printsOf(env.stack, 'I6')).toMatchObject([{ channel: 'peppol' }]);
  });

  test('when an automatic relation is not registered, then it goes by email and the message names what was tried', async () => {
    peppol.set(R3_ID, 'notRegistered');
    const [line] = await dispatchInvoices(deps(), rowsOf(['I7']));
    expect(printsOf(env.stack, 'I7')).toMatchObject([{ channel: 'email' }]);
    expect(line!.channel).toBe('email');
    const entry = await demoDeps(env.stack).ledger.get({
      tenantId: 'demo',
      division: 100001,
      invoiceId: demoGuid('invoice:I7'),
    });
    expect(entry?.facts).toMatchObject({ peppolTried: R3_ID });
  });

  test('when an explicit Peppol relation is not registered, then it fails before any print call', async () => {
    peppol.set(R16_ID, 'smpNotFound');
    const printsBefore = env.stack.exact.prints().length;
    const [line] = await dispatchInvoices(deps(), rowsOf(['I22']));
    expect(line).toMatchObject({ outcome: 'failed', reason: 'peppol_not_registered' });
    expect(env.stack.exact.prints().length).toBe(printsBefore);
    expect(demoRow(env.stack, 'I22')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'peppol_not_registered',
    });
    expect(String(demoRow(env.stack, 'I22').eol_dispatchmessage)).toContain(R16_ID);
  });

  test('when the relation has no Peppol id but its KvK number is registered, then Peppol is chosen and the id is offered', async () => {
    peppol.set(R3_ID, 'registered');
    // Automaat Mail VOF (R10, automatic, email) with KvK 12345678 from Exact's account.
    const d = deps({ relation: { kvk: '12345678' } });
    await dispatchInvoices(d, rowsOf(['I15']));
    const print = env.stack.exact
      .requests()
      .find(
        (r) =>
          r.method === 'POST' &&
          (r.body as { InvoiceID?: string } | undefined)?.InvoiceID?.toLowerCase() ===
            demoGuid('invoice:I15'),
      );
    expect(print?.body).toMatchObject({ SendInvoiceViaPeppol: true });
    const entry = await d.ledger.get({
      tenantId: 'demo',
      division: 100001,
      invoiceId: demoGuid('invoice:I15'),
    });
    expect(entry?.facts).toMatchObject({ peppolFound: R3_ID, peppolOffer: R3_ID });
  });

  test('when a credit note goes to a receiver that takes invoices only, then it is checked against CreditNote and goes by email', async () => {
    peppol.set(R3_ID, 'invoiceOnly');
    // Café De Hoek (R2, email) made automatic with R3's Peppol id.
    const d = deps({ creditNotes: ['I1'], relation: { invoiceMethod: 0, peppolId: R3_ID } });
    const [line] = await dispatchInvoices(d, rowsOf(['I1']));
    expect(line!.channel).toBe('email');
    expect(peppol.smpRequests.at(-1)).toBe(`iso6523-actorid-upis::${R3_ID}`);
    const entry = await d.ledger.get({
      tenantId: 'demo',
      division: 100001,
      invoiceId: demoGuid('invoice:I1'),
    });
    expect(entry?.facts).toMatchObject({ document: 'creditNote', peppolWrongDocument: R3_ID });
  });

  test('when the network cannot be asked, then the invoice is retried later, never printed nor failed as not registered', async () => {
    peppol.set('0106:55555555', 'servfail');
    const d = deps({ relation: { invoiceMethod: 0, peppolId: '0106:55555555' } });
    await expect(dispatchInvoices(d, rowsOf(['I2']))).rejects.toBeInstanceOf(PeppolUnavailableError);
    expect(printsOf(env.stack, 'I2')).toHaveLength(0);
    expect(demoRow(env.stack, 'I2').eol_dispatchreason).not.toBe('peppol_not_registered');
    const err = await dispatchInvoices(d, rowsOf(['I2'])).catch((e: unknown) => e);
    expect(err).toMatchObject({ transient: true });
    peppol.set('0106:55555555', 'notRegistered');
    const [line] = await dispatchInvoices(d, rowsOf(['I2']));
    expect(line!.channel).toBe('email');
  });

  test('when a batch has several invoices to one receiver, then the network is asked once', async () => {
    peppol.set('0106:44444444', 'notRegistered');
    const relation = { invoiceMethod: 0 as const, peppolId: '0106:44444444' };
    const before = peppol.dnsQueries.length;
    const lines = await dispatchInvoices(deps({ cache: true, relation }), rowsOf(['I3', 'I14']));
    await dispatchInvoices(deps({ cache: true, relation }), rowsOf(['I40']));
    expect(lines.map((l) => l.channel)).toEqual(['email', 'email']);
    expect(printsOf(env.stack, 'I40')).toMatchObject([{ channel: 'email' }]);
    expect(peppol.dnsQueries.length - before).toBe(1);
  });
});
