import type { NaptrRecord } from 'node:dns';
import { askSml, urlFromRegexp } from '../../../src/adapters/peppol/naptr';

const record = (over: Partial<NaptrRecord>): NaptrRecord => ({
  flags: 'U',
  service: 'Meta:SMP',
  regexp: '!^.*$!https://smp.example.com/!',
  replacement: '',
  order: 100,
  preference: 10,
  ...over,
});
const resolving = (records: NaptrRecord[] | Error) => ({
  resolveNaptr: async () => {
    if (records instanceof Error) throw records;
    return records;
  },
});
const dnsError = (code: string) => Object.assign(new Error(`queryNaptr ${code} x`), { code });

describe('the SML answer (U-NAPTR)', () => {
  test('when several Meta:SMP records are published, then the lowest order, then preference, wins', async () => {
    const answer = await askSml(
      resolving([
        record({ order: 200, regexp: '!^.*$!https://late.example/!' }),
        record({ order: 100, preference: 20, regexp: '!^.*$!https://second.example/!' }),
        record({ order: 100, preference: 10, regexp: '!^.*$!https://first.example!' }),
      ]),
      'x',
    );
    expect(answer).toEqual({ kind: 'found', url: 'https://first.example/' });
  });

  test('when only other services are published, then the answer is unknown, not not registered', async () => {
    expect(await askSml(resolving([record({ service: 'Meta:SMP2' })]), 'x')).toMatchObject({
      kind: 'unknown',
    });
  });

  test.each(['ENOTFOUND', 'ENODATA'])(
    'when DNS answers %s, then the participant is not registered',
    async (code) => {
      expect(await askSml(resolving(dnsError(code)), 'x')).toEqual({ kind: 'notRegistered' });
    },
  );

  test.each(['ESERVFAIL', 'ETIMEOUT', 'ECONNREFUSED', 'EREFUSED'])(
    'when DNS fails with %s, then the answer is unknown (retry later)',
    async (code) => {
      expect(await askSml(resolving(dnsError(code)), 'x')).toEqual({
        kind: 'unknown',
        detail: `DNS ${code}`,
      });
    },
  );

  test.each([
    ['an http URL (HTTPS is mandatory since 2026-02-01)', '!^.*$!http://smp.example.com/!'],
    ['another pattern', '!^x$!https://smp.example.com/!'],
    ['a missing part', '!^.*$!https://smp.example.com/'],
    ['an empty regexp', ''],
  ])('when the regexp has %s, then no URL is taken from it', (_n, regexp) => {
    expect(urlFromRegexp(regexp)).toBeNull();
  });

  test('when the regexp uses another delimiter, then the URL is still read', () => {
    expect(urlFromRegexp('#^.*$#https://smp.example.com/path#')).toBe('https://smp.example.com/path/');
  });
});
