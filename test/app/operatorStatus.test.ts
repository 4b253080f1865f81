import { statusOf } from '../../src/app/operator/status';
import type { OperatorDeps, OperatorTenant } from '../../src/app/operator/ports';
import type { LicenceCheck } from '../../src/domain/types';

const NOW = new Date('2026-12-02T12:00:00Z');
const budget = {
  minutely: { limit: 60, remaining: 60, resetAt: null },
  daily: { limit: 5000, remaining: 4200, resetAt: null },
};

/** A tenant with one administration and nothing dispatched: only its health varies. */
function tenant(name: string, licence: LicenceCheck, connected: () => Promise<boolean>): OperatorTenant {
  const admin = { id: 'a1', name: 'Bakkerij Holding BV', division: 100001, printInvoices: true };
  return {
    name,
    deps: {
      directory: { administrations: async () => [admin] },
      tenant: { licence: async () => licence, language: async () => 'en' },
      records: { loadContexts: async () => new Map() },
    },
    isConnected: connected,
    budget: () => budget,
  } as unknown as OperatorTenant;
}

const valid: LicenceCheck = {
  ok: true,
  licenceId: 'L1',
  organizationId: 'org',
  features: [],
  notBefore: null,
  expiresAt: new Date('2027-06-01T00:00:00Z'),
};

describe('connection and licence health per tenant', () => {
  test('when one tenant is healthy, one has an expired licence and one cannot reach Exact, then each says so apart', async () => {
    const deps = {
      tenants: [
        tenant('healthy', valid, async () => true),
        tenant(
          'expired',
          { ok: false, reason: 'licence_expired', detail: 'expired' } as LicenceCheck,
          async () => true,
        ),
        tenant('offline', valid, () => Promise.reject(new Error('token store unreachable'))),
      ],
      ledger: { list: async () => [] },
      clock: { now: () => NOW },
      audit: { record: async () => undefined, list: async () => [] },
    } as unknown as OperatorDeps;
    const status = await statusOf(deps);
    expect(status.map((t) => [t.tenant, t.licence.valid, t.licence.reason ?? null, t.connected])).toEqual([
      ['healthy', true, null, true],
      ['expired', false, 'licence_expired', true],
      ['offline', true, null, false],
    ]);
    expect(status[0]!.licence.expiresAt).toBe('2027-06-01T00:00:00.000Z');
    expect(status[0]!.administrations[0]).toMatchObject({ division: 100001, counts: {}, budget });
  });
});
