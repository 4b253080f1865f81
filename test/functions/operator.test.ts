import '../../src/local/quietTestMode';
import { licenceStatus } from '../../functions/operator';
import type { TenantRuntime } from '../../src/composition/runtime';
import type { LicenceCheck } from '../../src/domain/types';

function tenant(check: LicenceCheck): TenantRuntime {
  return {
    name: 't',
    context: { tenantId: 't', organizationId: 'o', licence: async () => check, language: async () => 'en' },
  } as unknown as TenantRuntime;
}

const now = new Date('2026-11-22T10:00:00Z');
const valid = (expiresAt: string): LicenceCheck => ({
  ok: true,
  licenceId: 'lic-1',
  organizationId: 'o',
  features: ['sales', 'recurring'],
  notBefore: null,
  expiresAt: new Date(expiresAt),
});

describe('licence status on the operator endpoints', () => {
  test('when the licence expires within 14 days, then the status carries the announcement with the date', async () => {
    const status = await licenceStatus(tenant(valid('2026-12-01T00:00:00Z')), now);
    expect(status).toMatchObject({ valid: true, expiresAt: '2026-12-01T00:00:00.000Z' });
    expect(String(status.notice)).toContain('2026-12-01');
  });

  test('when the licence expires in more than 14 days, then there is no announcement', async () => {
    const status = await licenceStatus(tenant(valid('2027-12-31T00:00:00Z')), now);
    expect(status.valid).toBe(true);
    expect(status.notice).toBeUndefined();
  });

  test('when the licence is invalid, then the status gives the reason code and nothing of the token', async () => {
    const status = await licenceStatus(
      tenant({ ok: false, reason: 'licence_wrong_tenant', detail: 'org mismatch' }),
      now,
    );
    expect(status).toEqual({ valid: false, reason: 'licence_wrong_tenant' });
  });
});
