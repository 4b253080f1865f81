import { cachedPeppolDirectory, createPeppolCacheClient } from '../../../src/adapters/store/peppolCache';
import type { ParticipantLookup, PeppolDirectory } from '../../../src/app/peppol/ports';
import type { ParticipantAnswer, PeppolDocument } from '../../../src/domain/peppol';
import { useAzurite } from '../../support/azurite';

const azurite = useAzurite();
const HOUR = 3600_000;

/** A network that answers what it is told and counts the calls. */
function network(answers: Record<string, ParticipantAnswer>) {
  const calls: string[] = [];
  const directory: PeppolDirectory = {
    async lookup(participant: string, document: PeppolDocument): Promise<ParticipantLookup> {
      calls.push(`${document}|${participant}`);
      return {
        participant,
        answer: answers[participant] ?? { kind: 'notRegistered' },
        path: {
          dnsName: `${participant}.sml`,
          naptrUrl: 'https://smp/',
          smpUrls: ['https://smp/x'],
          cached: false,
        },
      };
    },
  };
  return { directory, calls };
}

let table = 0;
function setup(answers: Record<string, ParticipantAnswer>) {
  const now = { t: new Date('2026-12-01T10:00:00Z').getTime() };
  const clock = { now: () => new Date(now.t) };
  const net = network(answers);
  const client = createPeppolCacheClient(azurite.connectionString, `peppol${++table}`);
  return { net, now, cached: () => cachedPeppolDirectory(net.directory, client, { clock }) };
}

describe('the Peppol lookup cache on Table Storage', () => {
  test('when a registered participant is asked again within 24 h, then the network is not asked again', async () => {
    const { net, now, cached } = setup({ '0106:12345678': { kind: 'registered' } });
    await cached().lookup('0106:12345678', 'invoice');
    now.t += 23 * HOUR;
    const again = await cached().lookup('0106:12345678', 'invoice');
    expect(again.answer).toEqual({ kind: 'registered' });
    expect(again.path).toMatchObject({
      cached: true,
      dnsName: '0106:12345678.sml',
      smpUrls: ['https://smp/x'],
    });
    expect(net.calls).toHaveLength(1);
    now.t += 2 * HOUR;
    await cached().lookup('0106:12345678', 'invoice');
    expect(net.calls).toHaveLength(2);
  });

  test('when a participant is not registered, then the answer is kept 1 h', async () => {
    const { net, now, cached } = setup({});
    await cached().lookup('0106:12345678', 'invoice');
    now.t += 59 * 60_000;
    expect((await cached().lookup('0106:12345678', 'invoice')).path.cached).toBe(true);
    now.t += 2 * 60_000;
    expect((await cached().lookup('0106:12345678', 'invoice')).path.cached).toBe(false);
    expect(net.calls).toHaveLength(2);
  });

  test('when the participant is registered for other documents only, then that answer is kept 1 h and read back as it was', async () => {
    const { net, now, cached } = setup({ '0106:12345678': { kind: 'wrongDocumentType' } });
    await cached().lookup('0106:12345678', 'invoice');
    now.t += 59 * 60_000;
    const again = await cached().lookup('0106:12345678', 'invoice');
    expect(again).toMatchObject({ answer: { kind: 'wrongDocumentType' }, path: { cached: true } });
    now.t += 2 * 60_000;
    expect((await cached().lookup('0106:12345678', 'invoice')).path.cached).toBe(false);
    expect(net.calls).toHaveLength(2);
  });

  test('when the answer is unknown, then it is never kept and never read back as not registered', async () => {
    const { net, cached } = setup({ '0106:12345678': { kind: 'unknown', detail: 'DNS ESERVFAIL' } });
    const first = await cached().lookup('0106:12345678', 'invoice');
    const second = await cached().lookup('0106:12345678', 'invoice');
    expect(first.answer).toEqual({ kind: 'unknown', detail: 'DNS ESERVFAIL' });
    expect(second.answer).toEqual({ kind: 'unknown', detail: 'DNS ESERVFAIL' });
    expect(net.calls).toHaveLength(2);
  });

  test('when a credit note is asked, then the invoice answer is not used for it', async () => {
    const { net, cached } = setup({ '0106:12345678': { kind: 'registered' } });
    await cached().lookup('0106:12345678', 'invoice');
    await cached().lookup('0106:12345678', 'creditNote');
    expect(net.calls).toEqual(['invoice|0106:12345678', 'creditNote|0106:12345678']);
  });

  test('when a sweep sends 1,000 invoices to 50 customers, then at most 50 lookups reach the network', async () => {
    const { net, cached } = setup({});
    const directory = cached();
    for (let i = 0; i < 1000; i++) {
      await directory.lookup(`0106:${String(10_000_000 + (i % 50))}`, 'invoice');
    }
    expect(net.calls.length).toBe(50);
  }, 60_000);

  test('when the same participant is asked twice at once, then one network call answers both', async () => {
    const { net, cached } = setup({ '0106:12345678': { kind: 'registered' } });
    const directory = cached();
    await Promise.all([
      directory.lookup('0106:12345678', 'invoice'),
      directory.lookup('0106:12345678', 'invoice'),
    ]);
    expect(net.calls).toHaveLength(1);
  });

  test('when Table Storage cannot be reached, then the network answers as if nothing was cached', async () => {
    const net = network({ '0106:12345678': { kind: 'registered' } });
    // Every Table Storage call fails as an unreachable endpoint does (a socket to a closed port emits its
    // errors on the SDK's agent under load, after the test: a client that refuses keeps this test exact).
    const refused = () =>
      Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const calls: string[] = [];
    const dead = new Proxy(createPeppolCacheClient(azurite.connectionString, `peppoldead${Date.now()}`), {
      get(target, prop, receiver) {
        if (prop === 'createTable' || prop === 'getEntity' || prop === 'upsertEntity')
          return () => (calls.push(String(prop)), refused());
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const found = await cachedPeppolDirectory(net.directory, dead).lookup('0106:12345678', 'invoice');
    expect(found.answer).toEqual({ kind: 'registered' });
    expect(net.calls).toHaveLength(1);
    expect(calls).toContain('createTable');
  });
});
