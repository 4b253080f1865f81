/** The rules that decide whether an Exact consent may connect a tenant (src/app/consent.ts). */
import { judgeConsent, type ConsentParty } from '../../src/app/consent';

/** Administrations by division; a negative number is one switched off (Print invoices off). */
const party = (
  name: string,
  administrations: number[],
  granted: number[] | null = null,
  user: string | null = null,
): ConsentParty => ({
  name,
  administrations: async () => administrations.map((d) => ({ division: Math.abs(d), active: d > 0 })),
  grantedDivisions: async () => granted,
  connectionUser: async () => user,
});

describe('judgeConsent', () => {
  const a = party('a', [1, 2], [1, 2, 9], 'user-a');
  const b = party('b', [5]);

  test('when the consent reaches every administration of the tenant and nothing of another tenant, then it is accepted', async () => {
    expect(await judgeConsent(b, [a, b], [5, 6], 'user-b')).toEqual({ ok: true });
  });

  test('when the consent misses an administration of the tenant, then it is refused naming the division', async () => {
    expect(await judgeConsent(b, [a, b], [6], 'user-b')).toEqual({
      ok: false,
      refusal: expect.stringContaining('cannot reach division 5 of this tenant'),
      rescue: null,
    });
  });

  test.each([
    ['an administration', [5, 2]],
    ['a division held in its connection only', [5, 9]],
  ])(
    'when the consent also reaches %s of another tenant, then it is refused without naming that tenant',
    async (_what, granted) => {
      const verdict = await judgeConsent(b, [a, b], granted, 'user-b');
      expect(verdict).toEqual({
        ok: false,
        refusal: expect.stringMatching(
          /can reach division \d, which belongs to another tenant of this connector/,
        ),
        rescue: null,
      });
      expect(JSON.stringify(verdict)).not.toMatch(/"a"/);
    },
  );

  test('when the refused consent is by the Exact user of another tenant’s connection and fits that tenant, then that tenant is named to keep the new tokens', async () => {
    expect(await judgeConsent(b, [a, b], [1, 2, 9], 'user-a')).toEqual({
      ok: false,
      refusal: expect.any(String),
      rescue: 'a',
    });
  });

  test('when the refused consent is by that user but no longer fits that tenant, then nobody keeps the tokens', async () => {
    expect(await judgeConsent(b, [a, b], [1], 'user-a')).toEqual({
      ok: false,
      refusal: expect.any(String),
      rescue: null,
    });
  });

  test('when the tenant’s own Exact user re-consents but cannot reach a newly added administration, then refused, and the tenant keeps the new tokens (Exact revoked its old ones)', async () => {
    const own = party('b', [5, 7], [5], 'user-b');
    expect(await judgeConsent(own, [a, own], [5], 'user-b')).toEqual({
      ok: false,
      refusal: expect.stringContaining('cannot reach division 7'),
      rescue: 'b',
    });
  });

  test('when the tenant’s own Exact user now also reaches another tenant’s division, then refused and nobody keeps the tokens', async () => {
    const own = party('b', [5], [5], 'user-b');
    expect(await judgeConsent(own, [a, own], [5, 1], 'user-b')).toEqual({
      ok: false,
      refusal: expect.stringContaining('belongs to another tenant'),
      rescue: null,
    });
  });

  test('when the administrations cannot be read, then refused saying so, and only the same user’s own connection keeps the new tokens', async () => {
    const down: ConsentParty = {
      ...party('b', [], [5], 'user-b'),
      administrations: async () => Promise.reject(new Error('Dataverse 503')),
    };
    expect(await judgeConsent(down, [a, down], [5], 'user-b')).toEqual({
      ok: false,
      refusal: expect.stringContaining('could not be read'),
      rescue: 'b',
    });
    expect(await judgeConsent(down, [a, down], [1, 2, 9], 'someone-else')).toEqual({
      ok: false,
      refusal: expect.stringContaining('could not be read'),
      rescue: null,
    });
  });

  test('when the consent misses only an administration that is switched off, then it is accepted; another tenant’s switched-off administration still counts as theirs', async () => {
    const withOld = party('b', [5, -8]);
    expect(await judgeConsent(withOld, [a, withOld], [5], 'user-b')).toEqual({ ok: true });
    const oldOfA = party('a', [1, -3]);
    expect(await judgeConsent(withOld, [oldOfA, withOld], [5, 3], 'user-b')).toMatchObject({
      ok: false,
      refusal: expect.stringContaining('division 3, which belongs to another tenant'),
    });
  });
});
