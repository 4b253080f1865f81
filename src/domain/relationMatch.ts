/**
 * Linking an Exact relation to a Dynamics `account` (PRODUCT.md §11, issue 14): by an existing link, then
 * KvK, then VAT number, then exact name. A rule links only when it finds exactly one account; a rule that
 * finds several is passed over (a later rule may still find one), and the report says so. Pure.
 */

export type MatchRule = 'link' | 'kvk' | 'vat' | 'name';

export interface RelationToMatch {
  id: string;
  name: string;
  kvk: string | null;
  vatNumber: string | null;
  /** The account it is linked to already (the first rule). */
  accountId: string | null;
}

export interface AccountToMatch {
  id: string;
  name: string;
  kvk: string | null;
  vatNumber: string | null;
}

export type MatchOutcome =
  | { relationId: string; linked: true; rule: MatchRule; accountId: string }
  | {
      relationId: string;
      linked: false;
      /** `several`: some rule found more than one account and no later rule found exactly one. */
      why: 'none' | 'several';
      /** The rules that found several accounts. */
      ambiguous: MatchRule[];
    };

export interface MatchReport {
  outcomes: MatchOutcome[];
  linkedBy: Record<MatchRule, number>;
  unlinked: number;
}

/** KvK: digits only (`12.34.56.78` is `12345678`). */
export const normalizeKvk = (v: string | null): string | null => nonEmpty(v?.replace(/\D/g, ''));

/** VAT: letters and digits, upper case (`NL 8001.23.456.B01` is `NL800123456B01`). */
export const normalizeVat = (v: string | null): string | null =>
  nonEmpty(v?.replace(/[^0-9a-z]/gi, '').toUpperCase());

/** "Exact name": the same characters, ignoring case and runs of spaces around and between words. */
export const normalizeName = (v: string | null): string | null =>
  nonEmpty(v?.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase());

function nonEmpty(v: string | undefined): string | null {
  return v === undefined || v === '' ? null : v;
}

type Index = Map<string, string[]>;

function index(accounts: readonly AccountToMatch[], key: (a: AccountToMatch) => string | null): Index {
  const out: Index = new Map();
  for (const a of accounts) {
    const k = key(a);
    if (k !== null) out.set(k, [...(out.get(k) ?? []), a.id]);
  }
  return out;
}

export function matchRelations(
  relations: readonly RelationToMatch[],
  accounts: readonly AccountToMatch[],
): MatchReport {
  const rules: Array<[MatchRule, Index, (r: RelationToMatch) => string | null]> = [
    ['kvk', index(accounts, (a) => normalizeKvk(a.kvk)), (r) => normalizeKvk(r.kvk)],
    ['vat', index(accounts, (a) => normalizeVat(a.vatNumber)), (r) => normalizeVat(r.vatNumber)],
    ['name', index(accounts, (a) => normalizeName(a.name)), (r) => normalizeName(r.name)],
  ];
  const outcomes = relations.map((r): MatchOutcome => {
    if (r.accountId) return { relationId: r.id, linked: true, rule: 'link', accountId: r.accountId };
    const ambiguous: MatchRule[] = [];
    for (const [rule, idx, key] of rules) {
      const k = key(r);
      const found = k === null ? [] : (idx.get(k) ?? []);
      if (found.length === 1) return { relationId: r.id, linked: true, rule, accountId: found[0]! };
      if (found.length > 1) ambiguous.push(rule);
    }
    return { relationId: r.id, linked: false, why: ambiguous.length ? 'several' : 'none', ambiguous };
  });
  const linkedBy: Record<MatchRule, number> = { link: 0, kvk: 0, vat: 0, name: 0 };
  for (const o of outcomes) if (o.linked) linkedBy[o.rule]++;
  return { outcomes, linkedBy, unlinked: outcomes.filter((o) => !o.linked).length };
}
