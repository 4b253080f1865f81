/**
 * Issue 16's demo, as seeded (sandbox/seed/demo.ts) and wired as the composition wires it: the lookup is the
 * runtime's (network → Table Storage cache → Dutch order) against the demo's Peppol network (SML DNS and SMP on
 * loopback). KvK Alleen BV is on Peppol only under its KvK number, Niet Op Peppol BV's Peppol id is not on the
 * network, and Peppol Afgemeld BV is invoiced via Peppol explicitly, to an id that is not on the network.
 */
import { PassThrough } from 'node:stream';
import { InvocationContext } from '@azure/functions';
import { masterDataSync } from '../../functions/masterDataSync';
import { dispatchInvoices } from '../../src/app/dispatch';
import { runCli } from '../../src/cli/autoinvoice/main';
import { startHttpHost } from '../../src/local/httpHost';
import { loadFunctionRoutes } from '../../src/local/routes';
import { smlDnsName } from '../../src/domain/peppol';
import { demoGuid } from '../../sandbox/seed/demo';
import { useLocalStack } from '../support/localStack';
import { demoDeps, demoRow, printsOf, rowsOf } from './helpers';

const env = useLocalStack();
let host: Awaited<ReturnType<typeof startHttpHost>>;
beforeAll(async () => {
  void env;
  host = await startHttpHost(loadFunctionRoutes(), { port: 0 });
});
afterAll(() => host.close());
const A = 100001;
const KVK_ALLEEN = '0106:24681357'; // R18, invoice I41 (SO-5041)
const NIET_OP_PEPPOL = '0106:99999999'; // R19, invoice I42 (SO-5042)
const AFGEMELD = '0106:55555555'; // R20, invoice I43 (SO-5043)

const ledgerFacts = async (key: string) =>
  (
    await demoDeps(env.stack).ledger.get({
      tenantId: 'demo',
      division: A,
      invoiceId: demoGuid(`invoice:${key}`),
    })
  )?.facts;

describe('the demo’s Peppol relations (issue 16 acceptance)', () => {
  test('when the administration is planned first, then the plan (on the mirror, no Exact read) shows the same three outcomes', async () => {
    const out: string[] = [];
    const stream = Object.assign(new PassThrough(), { isTTY: false });
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {}, stream };
    expect(await runCli(['--url', host.url, '--json', 'plan', '--administration', String(A)], io)).toBe(0);
    const items = (JSON.parse(out.join('\n')) as { items: Array<Record<string, unknown>> }).items;
    const of = (relation: string) => items.find((i) => i.relation === relation);
    expect(of('KvK Alleen BV')).toMatchObject({ channel: 'peppol' });
    expect(of('Niet Op Peppol BV')).toMatchObject({ channel: 'email' });
    expect(of('Peppol Afgemeld BV')).toMatchObject({ reason: 'peppol_not_registered' });
    // Per relation, the proposed method follows the Peppol network as the invoices' lines do.
    const relations = (JSON.parse(out.join('\n')) as { relations: Array<Record<string, unknown>> }).relations;
    const relation = (name: string) => relations.find((r) => r.relation === name);
    expect(relation('KvK Alleen BV')).toMatchObject({ proposed: 'peppol', blocker: null });
    expect(relation('Niet Op Peppol BV')).toMatchObject({ proposed: 'email', blocker: null });
    expect(relation('Peppol Afgemeld BV')).toMatchObject({ proposed: null });
    expect(String(relation('Peppol Afgemeld BV')?.blocker)).toMatch(/Peppol/);
    expect(env.stack.exact.prints()).toHaveLength(0);
  });

  test('when KvK Alleen BV’s invoice is dispatched, then it is found by KvK, the id is written to Exact’s account and the invoice goes by Peppol', async () => {
    expect(env.stack.exact.account(A, demoGuid('account:R18'))?.PeppolIdentifier ?? null).toBeNull();
    const [line] = await dispatchInvoices(demoDeps(env.stack), rowsOf(['I41']));
    expect(line).toMatchObject({ outcome: 'sent', channel: 'peppol' });
    expect(printsOf(env.stack, 'I41')).toMatchObject([{ channel: 'peppol', sent: true }]);
    expect(env.stack.exact.account(A, demoGuid('account:R18'))?.PeppolIdentifier).toContain('24681357');
    expect(await ledgerFacts('I41')).toMatchObject({ peppolFound: KVK_ALLEEN, peppolOffer: KVK_ALLEEN });
    expect(String(demoRow(env.stack, 'I41').eol_dispatchmessage)).toContain(KVK_ALLEEN);
  });

  test('when the master data is synced after that, then the relation in Dynamics holds the Peppol id found', async () => {
    await masterDataSync(null, new InvocationContext({ functionName: 'masterDataSync' }));
    const relation = env.stack.dataverse.get('demo')!.row('eol_relations', demoGuid('relation:R18'));
    expect(String(relation?.eol_peppolid)).toContain('24681357');
  });

  test('when Niet Op Peppol BV’s invoice is dispatched, then its Peppol id is looked up, not found, and the invoice goes by email; the lookup spends no Exact call', async () => {
    const deps = demoDeps(env.stack);
    const inner = deps.peppol!;
    const exactCallsDuringLookups: number[] = [];
    deps.peppol = {
      ...inner,
      async receiver(ids, document) {
        const before = env.stack.exact.requests().length;
        const found = await inner.receiver(ids, document);
        exactCallsDuringLookups.push(env.stack.exact.requests().length - before);
        return found;
      },
    };
    const [line] = await dispatchInvoices(deps, rowsOf(['I42']));
    expect(exactCallsDuringLookups).toEqual([0]);
    expect(line).toMatchObject({ outcome: 'sent', channel: 'email' });
    expect(printsOf(env.stack, 'I42')).toMatchObject([{ channel: 'email', sent: true }]);
    expect(env.stack.peppol.dnsQueries).toContain(smlDnsName(NIET_OP_PEPPOL, env.stack.peppol.zone));
    expect(await ledgerFacts('I42')).toMatchObject({ peppolTried: NIET_OP_PEPPOL });
  });

  test('when Peppol Afgemeld BV’s invoice is dispatched, then it fails with peppol_not_registered before any print call', async () => {
    const posts = () =>
      env.stack.exact.requests().filter((r) => r.path.endsWith('/salesinvoice/PrintedSalesInvoices')).length;
    const before = posts();
    const [line] = await dispatchInvoices(demoDeps(env.stack), rowsOf(['I43']));
    expect(line).toMatchObject({ outcome: 'failed', reason: 'peppol_not_registered' });
    expect(posts()).toBe(before);
    expect(printsOf(env.stack, 'I43')).toHaveLength(0);
    expect(demoRow(env.stack, 'I43')).toMatchObject({
      eol_dispatchstatus: 6,
      eol_dispatchreason: 'peppol_not_registered',
    });
    expect(String(demoRow(env.stack, 'I43').eol_dispatchmessage)).toContain(
      `not registered under ${AFGEMELD}`,
    );
  });
});
