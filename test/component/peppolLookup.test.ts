import { createPeppolDirectory, createPeppolLookup } from '../../src/adapters/peppol';
import { dispatchInvoices } from '../../src/app/dispatch';
import type { DispatchDeps } from '../../src/app/dispatch';
import { PeppolUnavailableError } from '../../src/app/peppol/errors';
import { peppolReceivers } from '../../src/app/peppol/receivers';
import type { ExactGateway } from '../../src/app/ports';
import { startPeppolSandbox, type PeppolSandbox } from '../../sandbox/peppol';
import { demoGuid } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { ADMIN_A, demoDeps, demoRow, editRow, printsOf, rowsOf } from './helpers';

const env = useLocalStack();
let peppol: PeppolSandbox;
beforeAll(async () => {
  peppol = await startPeppolSandbox({ participants: {}, timeoutMs: 5000 });
}, 60_000);
afterAll(() => peppol.close());

const R3_ID = '0106:12345678'; // Peppol Partners BV: automatic, this Peppol id in Exact, and an email address
const R20_ID = '0106:55555555'; // Peppol Afgemeld BV: explicit Peppol

/** The dispatch with the lookup against the sandbox network (no cache unless asked). */
function deps(over: { cache?: boolean; creditNotes?: string[] } = {}) {
  const base = demoDeps(env.stack);
  // With the cache: the factory the composition uses (network → Table Storage cache → Dutch order).
  const receivers = over.cache
    ? createPeppolLookup({ ...peppol.directoryOptions(), storage: env.stack.azurite.connectionString })
    : peppolReceivers(createPeppolDirectory(peppol.directoryOptions()));
  const d: DispatchDeps = { ...base, peppol: receivers };
  if (over.creditNotes)
    d.exact = asCreditNotes(
      base.exact,
      over.creditNotes.map((k) => demoGuid(`invoice:${k}`)),
    );
  return d;
}

/** Exact's account of a demo relation changed in Exact (what the connector decides on). */
function inExact(relation: string, fields: Record<string, unknown>): void {
  env.stack.exact.editAccount(100001, demoGuid(`account:${relation}`), fields);
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
    peppol.set(R20_ID, 'smpNotFound');
    const printsBefore = env.stack.exact.prints().length;
    const [line] = await dispatchInvoices(deps(), rowsOf(['I43']));
    expect(line).toMatchObject({ outcome: 'failed', reason: 'peppol_not_registered' });
    expect(env.stack.exact.prints().length).toBe(printsBefore);
    expect(demoRow(env.stack, 'I43')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'peppol_not_registered',
    });
    expect(String(demoRow(env.stack, 'I43').eol_dispatchmessage)).toContain(R20_ID);
  });

  test('when Exact holds no Peppol id but the account’s KvK number is registered, then the id is written to Exact and Peppol is chosen', async () => {
    peppol.set(R3_ID, 'registered');
    // Automaat Mail VOF (R10, automatic, email) with KvK 12345678 on Exact's account.
    inExact('R10', { ChamberOfCommerce: '12345678' });
    const d = deps();
    const puts = () => env.stack.exact.requests().filter((r) => r.method === 'PUT').length;
    const puts0 = puts();
    // Two invoices of the account in one batch: the find is written to Exact once.
    await dispatchInvoices(d, rowsOf(['I15', 'I40']));
    expect(puts() - puts0).toBe(1);
    expect(printsOf(env.stack, 'I40')).toMatchObject([{ channel: 'peppol', sent: true }]);
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
    // Exact sends by Peppol only to the id on its account: the find was written there, and it went out.
    expect(env.stack.exact.account(100001, demoGuid('account:R10'))?.PeppolIdentifier).toContain('12345678');
    expect(printsOf(env.stack, 'I15')).toMatchObject([{ channel: 'peppol', sent: true }]);
  });

  test('when a credit note goes to a receiver that takes invoices only, then it is checked against CreditNote and goes by email', async () => {
    peppol.set(R3_ID, 'invoiceOnly');
    // Café De Hoek (R2, email) made automatic in Exact, with R3's Peppol id.
    inExact('R2', { InvoicingMethod: null, PeppolIdentifier: R3_ID });
    const d = deps({ creditNotes: ['I1'] });
    const asked = peppol.smpRequests.length;
    const [line] = await dispatchInvoices(d, rowsOf(['I1']));
    expect(line!.channel).toBe('email');
    // The service group lists the Invoice document type only: no CreditNote metadata to fetch.
    expect(peppol.smpRequests.slice(asked)).toEqual([`iso6523-actorid-upis::${R3_ID}`]);
    const entry = await d.ledger.get({
      tenantId: 'demo',
      division: 100001,
      invoiceId: demoGuid('invoice:I1'),
    });
    expect(entry?.facts).toMatchObject({ document: 'creditNote', peppolWrongDocument: R3_ID });
  });

  test('when the network cannot be asked, then the invoice is retried later, never printed nor failed as not registered', async () => {
    peppol.set('0106:55555555', 'servfail');
    inExact('R2', { InvoicingMethod: null, PeppolIdentifier: '0106:55555555' });
    const d = deps();
    await expect(dispatchInvoices(d, rowsOf(['I2']))).rejects.toBeInstanceOf(PeppolUnavailableError);
    expect(printsOf(env.stack, 'I2')).toHaveLength(0);
    expect(demoRow(env.stack, 'I2').eol_dispatchreason).not.toBe('peppol_not_registered');
    const err = await dispatchInvoices(d, rowsOf(['I2'])).catch((e: unknown) => e);
    expect(err).toMatchObject({ transient: true });
    peppol.set('0106:55555555', 'notRegistered');
    const [line] = await dispatchInvoices(d, rowsOf(['I2']));
    expect(line!.channel).toBe('email');
  });

  test('when a batch has two invoices to one receiver, then the network is asked once (through the cache)', async () => {
    peppol.set('0106:44444444', 'notRegistered');
    for (const r of ['R2', 'R10']) inExact(r, { InvoicingMethod: null, PeppolIdentifier: '0106:44444444' });
    const before = peppol.dnsQueries.length;
    const lines = await dispatchInvoices(deps({ cache: true }), rowsOf(['I3', 'I14']));
    expect(lines.map((l) => l.channel)).toEqual(['email', 'email']);
    expect(peppol.dnsQueries.length - before).toBe(1);
  });

  test('when the administration requires Peppol and an automatic receiver is not registered, then it fails before any print call instead of falling back', async () => {
    peppol.set('0106:33333333', 'notRegistered');
    // Papier & Co (R6, paper) made automatic in Exact, with a Peppol id not on the network.
    inExact('R6', { InvoicingMethod: null, PeppolIdentifier: '0106:33333333' });
    editRow(env.stack, 'eol_administrations', ADMIN_A, { eol_peppolrequired: true });
    try {
      const printsBefore = env.stack.exact.prints().length;
      const [line] = await dispatchInvoices(deps(), rowsOf(['I12']));
      expect(line).toMatchObject({ outcome: 'failed', reason: 'peppol_not_registered' });
      expect(env.stack.exact.prints().length).toBe(printsBefore);
      const message = String(demoRow(env.stack, 'I12').eol_dispatchmessage);
      expect(message).toContain('requires Peppol');
      expect(message).toContain('0106:33333333');
    } finally {
      editRow(env.stack, 'eol_administrations', ADMIN_A, { eol_peppolrequired: false });
    }
    // Without the option the same receiver's next invoice goes on down the chain (no email: paper).
    const [line] = await dispatchInvoices(deps(), rowsOf(['I13']));
    expect(line).toMatchObject({ channel: 'paper' });
  });
});
