import { firstSyncText } from './conflict';
import type { ExactAccount } from './ports';
import type { MirroredAdministration, MirroredRelation, RelationFields } from './records';
import { sameExactValue, WRITTEN_BACK } from './writeBack';

/** What the sync will do with one relation: the fields to write (before compare). */
export interface PlannedRelation {
  id: string;
  /** The row as read; absent for a relation this sync creates. */
  row?: MirroredRelation;
  account?: ExactAccount;
  fields: Partial<RelationFields>;
  /** A row typed by hand, mirrored for the first time by this sync. */
  first?: boolean;
  /** A Dynamics edit was not written because Exact changed the same field (decision 0076). */
  conflicted?: boolean;
}

/** The §11 fields Exact is the truth for (never written back). */
function mirrored(admin: Pick<MirroredAdministration, 'id'>, a: ExactAccount): Partial<RelationFields> {
  return {
    administrationId: admin.id,
    exactAccountId: a.id.toLowerCase(),
    name: a.name,
    state: 'active',
    kvk: a.kvk,
    vatNumber: a.vatNumber,
    oin: a.oin,
    language: a.language,
  };
}

/**
 * A relation never mirrored (new, or typed by hand): Exact's values, and a note where Dynamics differed.
 * A value typed in Dynamics where Exact's field is empty is kept, against an empty base: it is an edit, and the
 * write-back gives Exact the address it lacked (decision 0130) — nothing of Exact's is overwritten.
 */
function firstMirror(row: MirroredRelation | undefined, a: ExactAccount): Partial<RelationFields> {
  const fields: Partial<RelationFields> = {};
  const replaced = [];
  for (const r of WRITTEN_BACK) {
    const exact = r.exact(a);
    const shown = r.toDynamics(exact);
    const had = row?.[r.field] ?? null;
    Object.assign(fields, { [r.base]: exact });
    if (r.localOnly(had)) continue;
    const typed = had !== null && had !== '';
    // Exact has none: the Dynamics value stays, to be written to Exact.
    if (typed && exact === null && r.toExact(had) !== null) continue;
    // A Dynamics value that means Exact's to Exact (a list whose first address is Exact's) stays as typed.
    if (typed && sameExactValue(r.toExact(had), exact)) continue;
    Object.assign(fields, { [r.field]: shown });
    if (typed && !sameExactValue(had, shown)) replaced.push({ label: r.label, dynamics: had, exact: shown });
  }
  return { ...fields, conflict: firstSyncText(replaced) ?? row?.conflict ?? null };
}

/** A customer account the pull returned; Dynamics edits are the write-back's (writeBackAccount.ts). */
export function planChanged(
  admin: Pick<MirroredAdministration, 'id'>,
  row: MirroredRelation | undefined,
  a: ExactAccount,
  newId: () => string,
): PlannedRelation {
  const base = mirrored(admin, a);
  if (row && row.state !== null) return { id: row.id, row, account: a, fields: base };
  const fields = { ...base, ...firstMirror(row, a) };
  return row ? { id: row.id, row, account: a, fields, first: true } : { id: newId(), account: a, fields };
}

/** A mirrored relation Exact did not touch: only Dynamics edits can make it change. */
export function planUntouched(row: MirroredRelation): PlannedRelation {
  return { id: row.id, row, fields: {} };
}
