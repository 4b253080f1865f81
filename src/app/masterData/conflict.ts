/**
 * The text a relation row carries when a Dynamics edit was not written to Exact (PRODUCT.md §11: "the row
 * then says so"), naming both values. English, like the column labels; shown on the relation form.
 */
type Value = string | number | null;

export interface FieldConflict {
  label: string;
  dynamics: Value;
  exact: Value;
}

const shown = (v: Value): string => (v === null || v === '' ? '(empty)' : `'${String(v)}'`);

export function conflictText(
  conflicts: readonly FieldConflict[],
  exactModified: string | null,
): string | null {
  if (conflicts.length === 0) return null;
  const fields = conflicts
    .map((c) => `${c.label}: ${shown(c.dynamics)} in Dynamics, ${shown(c.exact)} in Exact`)
    .join('; ');
  const when = exactModified ? ` (Exact modified ${exactModified})` : '';
  return (
    `Not written to Exact, because Exact changed it too since the last sync${when}. ${fields}. ` +
    `Set the field to Exact's value to accept it, or change it in Exact.`
  );
}

/**
 * Exact refused the PUT of a Dynamics edit (a validation error): the row names the values refused and Exact's
 * reason. The same values are not offered again outside the daily sync (10 errors an hour block an endpoint,
 * PRODUCT.md §7); a changed Dynamics value is.
 */
export function refusalText(edit: object, reason: string): string {
  return `${refusalPrefix(edit)} (${reason}).`;
}

/** The row already says Exact refused exactly these values. */
export function isStandingRefusal(conflict: string | null, edit: object): boolean {
  return conflict?.startsWith(refusalPrefix(edit)) ?? false;
}

const refusalPrefix = (edit: object): string =>
  `Not written to Exact: Exact Online refused ${JSON.stringify(edit)}`;

/** A relation typed in Dynamics before its first sync: Exact's values replace differing ones, and are named. */
export function firstSyncText(replaced: readonly FieldConflict[]): string | null {
  if (replaced.length === 0) return null;
  const fields = replaced
    .map((c) => `${c.label}: ${shown(c.dynamics)} replaced by ${shown(c.exact)}`)
    .join('; ');
  return `First sync from Exact, which sends with its own values. ${fields}. Edit a field to write your value to Exact.`;
}
