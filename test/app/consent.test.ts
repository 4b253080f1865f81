/** The rules that decide whether an Exact consent may connect a tenant (src/app/consent.ts). */
import { judgeConsent, type ConsentParty } from '../../src/app/consent';

const party = (
  name: string,
  administrations: number[],
  granted: number[] | null = null,
  user: string | null = null,
): ConsentParty => ({
  name,
  administrations: async () => administrations,
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
});
