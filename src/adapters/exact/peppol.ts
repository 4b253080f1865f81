/**
 * `PeppolIdentifier` + `PeppolIdentifierType` ↔ the connector's `scheme:value` (decision 0071).
 * **CHOICE:** Exact documents the type only as "GLN, COC, etc" (round2-facts §4.6); the codes below are
 * the sandbox's (sandbox/exact/recipients.ts) and are to be confirmed on a real administration.
 * A value that already is `scheme:value` is kept as it is, whatever its type.
 */
export const PEPPOL_SCHEME_OF_TYPE: Readonly<Record<number, string>> = {
  1: '0088', // GLN
  2: '0106', // KvK (Chamber of Commerce, "COC")
  3: '0190', // OIN (Dutch government)
  4: '9944', // Dutch VAT number
  5: '0208', // Belgian enterprise number
};

const SCHEME_VALUE = /^(\d{4}):(.+)$/;

/** What Exact holds, as `scheme:value`; a bare value of an unknown type is returned as it is (the decision checks it). */
export function peppolIdOf(identifier: string | null, type: number | null): string | null {
  const id = identifier?.trim() ?? '';
  if (id === '') return null;
  if (id.includes(':')) return id;
  const scheme = type === null ? undefined : PEPPOL_SCHEME_OF_TYPE[type];
  return scheme ? `${scheme}:${id}` : id;
}

/** The two Exact fields for a `scheme:value`: the value with its type when the scheme is in the table, else the whole id. */
export function peppolFields(peppolId: string | null): {
  PeppolIdentifier: string | null;
  PeppolIdentifierType: number | null;
} {
  const id = peppolId?.trim() ?? '';
  if (id === '') return { PeppolIdentifier: null, PeppolIdentifierType: null };
  const m = SCHEME_VALUE.exec(id);
  const type = m
    ? Object.entries(PEPPOL_SCHEME_OF_TYPE).find(([, scheme]) => scheme === m[1])?.[0]
    : undefined;
  return type !== undefined && m
    ? { PeppolIdentifier: m[2]!, PeppolIdentifierType: Number(type) }
    : { PeppolIdentifier: id, PeppolIdentifierType: null };
}
