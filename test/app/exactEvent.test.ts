import { acceptExactEvent, type ExactEventDeps } from '../../src/app/exactEvent';
import type { DispatchRequest, EnqueueOptions, LedgerEntry } from '../../src/app/ports';
import type { AdministrationFacts } from '../../src/domain/types';

const ADMIN = { id: 'AAAA0000-0000-4000-8000-000000000001', division: 100001, printInvoices: true };
const KNOWN = 'bbbb0000-0000-4000-8000-000000000001';

function deps(at: string, windowMs: number, admin: Partial<AdministrationFacts> = ADMIN) {
  const sent: Array<{ request: DispatchRequest; options: EnqueueOptions }> = [];
  const d: ExactEventDeps = {
    tenantId: 'contoso',
    directory: {
      administrations: async () => [admin as AdministrationFacts],
      relations: async () => [],
      organizationLanguage: async () => 'en',
    },
    ledger: {
      get: async (key: { invoiceId: string }) =>
        key.invoiceId === KNOWN ? ({ state: 'sent' } as LedgerEntry) : null,
    } as unknown as ExactEventDeps['ledger'],
    queue: { enqueue: async (request, options) => void sent.push({ request, options }) },
    clock: { now: () => new Date(at) },
    windowMs,
  };
  return { d, sent };
}
const create = (invoiceId = 'cccc0000-0000-4000-8000-000000000001') => ({
  division: 100001,
  action: 'Create' as const,
  invoiceId,
});

describe('an Exact webhook for a sales invoice', () => {
  test('when two webhooks of one administration arrive in one window, then both ask for one sweep, at the end of the window, on its session', async () => {
    const a = deps('2026-12-02T01:00:00.300Z', 2000);
    const b = deps('2026-12-02T01:00:01.900Z', 2000);
    const first = await acceptExactEvent(a.d, create());
    const second = await acceptExactEvent(b.d, create('cccc0000-0000-4000-8000-000000000002'));
    expect(first).toEqual(second);
    expect(a.sent[0]!.options).toEqual({
      messageId: 'contoso:exacthook:aaaa0000-0000-4000-8000-000000000001:2026-12-02T01:00:02.000Z',
      sessionId: 'contoso:aaaa0000-0000-4000-8000-000000000001',
      scheduledFor: new Date('2026-12-02T01:00:02.000Z'),
    });
    expect(a.sent[0]!.request).toMatchObject({
      kind: 'sweep',
      sweep: 'quarter',
      division: 100001,
      // Dated at the window's end: a sweep that started before the second webhook must not stand for it.
      requestedAt: '2026-12-02T01:00:02.000Z',
    });
  });

  test('when the window is 0, then the sweep is asked for at once', async () => {
    const { d, sent } = deps('2026-12-02T01:00:00.300Z', 0);
    await acceptExactEvent(d, create());
    expect(sent[0]!.options.scheduledFor).toBeUndefined();
  });

  test.each([
    ['a Delete', { ...create(), action: 'Delete' as const }, ADMIN, /deleted invoice/],
    ['an invoice the ledger knows', create(KNOWN), ADMIN, /known to the connector \(sent\)/],
    ['an administration switched off', create(), { ...ADMIN, printInvoices: false }, /switched off/],
  ])('when it is %s, then nothing is enqueued and the answer says why', async (_n, event, admin, why) => {
    const { d, sent } = deps('2026-12-02T01:00:00Z', 2000, admin);
    expect(await acceptExactEvent(d, event)).toEqual({ kind: 'ignored', why: expect.stringMatching(why) });
    expect(sent).toEqual([]);
  });

  test('when the division is no administration of the tenant, then it is refused and names the division', async () => {
    const { d, sent } = deps('2026-12-02T01:00:00Z', 2000);
    const outcome = await acceptExactEvent(d, { ...create(), division: 4242 });
    expect(outcome).toEqual({ kind: 'unknownDivision', why: expect.stringMatching(/^division 4242 is not/) });
    expect(sent).toEqual([]);
  });

  test('when the webhook answers an invoice the ledger knows (the connector’s own print), then it is ignored without reading the administrations from Dataverse', async () => {
    const { d, sent } = deps('2026-12-02T01:00:00Z', 2000);
    let reads = 0;
    d.directory = { ...d.directory, administrations: async () => (reads++, [ADMIN as AdministrationFacts]) };
    const outcome = await acceptExactEvent(d, { ...create(KNOWN), action: 'Update' });
    expect(outcome).toEqual({ kind: 'ignored', why: 'invoice known to the connector (sent)' });
    expect([reads, sent.length]).toEqual([0, 0]);
  });
});
