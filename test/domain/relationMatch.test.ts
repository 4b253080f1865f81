import {
  matchRelations,
  normalizeKvk,
  normalizeName,
  normalizeVat,
  type AccountToMatch,
  type RelationToMatch,
} from '../../src/domain/relationMatch';

const rel = (id: string, o: Partial<RelationToMatch> = {}): RelationToMatch => ({
  id,
  name: id,
  kvk: null,
  vatNumber: null,
  accountId: null,
  ...o,
});
const acc = (id: string, o: Partial<AccountToMatch> = {}): AccountToMatch => ({
  id,
  name: `account ${id}`,
  kvk: null,
  vatNumber: null,
  ...o,
});

describe('linking relations to Dynamics accounts (issue 14: link, KvK, VAT, exact name)', () => {
  test('when a relation is linked already, then the link stands, even where KvK would point elsewhere', () => {
    const report = matchRelations([rel('r', { accountId: 'a1', kvk: '1' })], [acc('a2', { kvk: '1' })]);
    expect(report.outcomes).toEqual([{ relationId: 'r', linked: true, rule: 'link', accountId: 'a1' }]);
  });

  test('when KvK, VAT and name each point at a different account, then KvK wins, then VAT, then name', () => {
    const accounts = [
      acc('k', { kvk: '12345678' }),
      acc('v', { vatNumber: 'NL1B01' }),
      acc('n', { name: 'Jansen' }),
    ];
    const report = matchRelations(
      [
        rel('all', { name: 'Jansen', kvk: '12345678', vatNumber: 'NL1B01' }),
        rel('vat+name', { name: 'Jansen', vatNumber: 'nl 1 b01' }),
        rel('name', { name: ' jansen ' }),
      ],
      accounts,
    );
    expect(report.outcomes.map((o) => (o.linked ? `${o.rule}:${o.accountId}` : 'no'))).toEqual([
      'kvk:k',
      'vat:v',
      'name:n',
    ]);
    expect(report.linkedBy).toEqual({ link: 0, kvk: 1, vat: 1, name: 1 });
  });

  test('when a rule finds several accounts, then a later rule may still link, and otherwise the relation is unlinked as ambiguous', () => {
    const accounts = [
      acc('a', { kvk: '1', name: 'Twin' }),
      acc('b', { kvk: '1', name: 'Twin' }),
      acc('c', { vatNumber: 'X' }),
    ];
    const report = matchRelations(
      [rel('later', { kvk: '1', vatNumber: 'x' }), rel('stuck', { kvk: '1', name: 'twin' })],
      accounts,
    );
    expect(report.outcomes).toEqual([
      { relationId: 'later', linked: true, rule: 'vat', accountId: 'c' },
      { relationId: 'stuck', linked: false, why: 'several', ambiguous: ['kvk', 'name'] },
    ]);
    expect(report.unlinked).toBe(1);
  });

  test('when nothing matches, then the relation is unlinked with no match; empty keys never match each other', () => {
    const report = matchRelations(
      [rel('r', { name: 'Nobody', kvk: '', vatNumber: null })],
      [acc('a', { kvk: '', name: '' })],
    );
    expect(report.outcomes).toEqual([{ relationId: 'r', linked: false, why: 'none', ambiguous: [] }]);
  });

  test('when keys are written differently, then they are compared as KvK digits, VAT letters and digits, and names without case or extra spaces', () => {
    expect(normalizeKvk('12.34.56.78')).toBe('12345678');
    expect(normalizeVat('nl 8001.23.456-b01')).toBe('NL800123456B01');
    expect(normalizeName('  Café   De Hoek ')).toBe('café de hoek');
    expect(normalizeName('Cafe De Hoek')).not.toBe(normalizeName('Café De Hoek'));
    expect(normalizeKvk('n/a')).toBeNull();
  });
});
