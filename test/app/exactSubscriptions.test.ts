import { afterConnect } from '../../src/app/connected';
import {
  subscribeInvoiceWebhooks,
  type ExactWebhookSubscriptions,
  type SubscribeDeps,
} from '../../src/app/exactSubscriptions';
import type { TenantDirectory } from '../../src/app/ports';
import type { AdministrationFacts } from '../../src/domain/types';

const CALLBACK = 'https://autoinvoice.example.com/api/exact/webhook?tenant=contoso';

function directory(divisions: number[]): TenantDirectory {
  return {
    administrations: async () => divisions.map((division) => ({ division }) as AdministrationFacts),
    relations: async () => [],
    organizationLanguage: async () => 'en',
  };
}

/** Exact's subscriptions of one connection, in memory; `refuse` divisions answer as Exact's scope refusal. */
function exact(refuse: number[] = []) {
  const subs: Array<{ division: number; callbackUrl: string; topic: string }> = [];
  const port: ExactWebhookSubscriptions = {
    list: async (division) => {
      if (refuse.includes(division)) throw new Error('Forbidden - Application Scope Violated');
      return subs.filter((s) => s.division === division);
    },
    subscribe: async (division, callbackUrl, topic) => void subs.push({ division, callbackUrl, topic }),
  };
  return { port, subs };
}

function deps(port: ExactWebhookSubscriptions, divisions: number[], warnings: string[]): SubscribeDeps {
  return {
    webhooks: port,
    directory: directory(divisions),
    callbackUrl: CALLBACK,
    warn: (l) => warnings.push(l),
  };
}

describe('subscribing to Exact’s sales-invoice webhooks', () => {
  test('when a division is subscribed already at the same callback and topic, then it is not subscribed again', async () => {
    const { port, subs } = exact();
    subs.push({
      division: 1,
      callbackUrl: CALLBACK.replace('autoinvoice.example.com', 'AUTOINVOICE.example.com'),
      topic: 'SalesInvoices',
    });
    subs.push({ division: 2, callbackUrl: CALLBACK, topic: 'Accounts' });
    const done = await subscribeInvoiceWebhooks(deps(port, [1, 2, 2], []));
    expect(done).toEqual({ subscribed: [2], already: [1], failed: [] });
    expect(subs.filter((s) => s.topic === 'SalesInvoices').map((s) => s.division)).toEqual([1, 2]);
  });

  test('when one division refuses, then the others are subscribed and the refusal is logged', async () => {
    const { port } = exact([1]);
    const warnings: string[] = [];
    const done = await subscribeInvoiceWebhooks(deps(port, [1, 2], warnings));
    expect(done).toEqual({
      subscribed: [2],
      already: [],
      failed: [{ division: 1, error: 'Forbidden - Application Scope Violated' }],
    });
    expect(warnings).toEqual([
      'exact webhook: division 1 not subscribed (Forbidden - Application Scope Violated); the sweep finds its invoices',
    ]);
  });

  test('when the administrations cannot be read at all, then the connect still succeeds and says why', async () => {
    const warnings: string[] = [];
    const broken: SubscribeDeps = {
      ...deps(exact().port, [], warnings),
      directory: {
        ...directory([]),
        administrations: async () => Promise.reject(new Error('Dataverse down')),
      },
    };
    const resume = {
      tenant: { tenantId: 'contoso' },
      directory: directory([]),
      ledger: { list: async () => [] },
      queue: { enqueue: async () => undefined },
      clock: { now: () => new Date() },
    } as unknown as Parameters<typeof afterConnect>[1];
    const connected = await afterConnect({ skip: 'not here' }, resume, broken);
    expect(connected.webhooks).toEqual({ failed: 'Dataverse down' });
    expect(warnings).toEqual([
      'exact webhook: not subscribed (Dataverse down); the sweep finds new invoices',
    ]);
  });
});
