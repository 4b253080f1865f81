import { firstSyncText, conflictText } from './conflict';
import type { AccountEdit, ExactAccount } from './ports';
import type { MirroredAdministration, MirroredRelation, RelationFields } from './records';
import { sameExactValue, WRITTEN_BACK, writeBackFields } from './writeBack';

/** What the sync will do with one relation: the fields to write (before compare), and what to PUT to Exact. */
export interface PlannedRelation {
  id: string;
  /** The row as read; absent for a relation this sync creates. */
  row?: MirroredRelation;
  account?: ExactAccount;
  fields: Partial<RelationFields>;
  edit: AccountEdit;
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

/** A relation never mirrored (new, or typed by hand): Exact's values, and a note where Dynamics differed. */
function firstMirror(row: MirroredRelation | undefined, a: ExactAccount): Partial<RelationFields> {
  const fields: Partial<RelationFields> = {};
  const replaced = [];
  for (const r of WRITTEN_BACK) {
    const exact = r.exact(a);
    const shown = r.toDynamics(exact);
    const had = row?.[r.field] ?? null;
    Object.assign(fields, { [r.base]: exact });
    if (r.localOnly(had)) continue;
    // A Dynamics value that means Exact's to Exact (a list whose first address is Exact's) stays as typed.
    if (had !== null && had !== '' && sameExactValue(r.toExact(had), exact)) continue;
    Object.assign(fields, { [r.field]: shown });
    if (had !== null && had !== '' && !sameExactValue(had, shown))
      replaced.push({ label: r.label, dynamics: had, exact: shown });
  }
  return { ...fields, conflict: firstSyncText(replaced) ?? row?.conflict ?? null };
}

/** A customer account the pull returned. */
export function planChanged(
  admin: Pick<MirroredAdministration, 'id'>,
  row: MirroredRelation | undefined,
  a: ExactAccount,
  newId: () => string,
): PlannedRelation {
  const base = mirrored(admin, a);
  if (!row || row.state === null) {
    const planned = {
      id: row?.id ?? newId(),
      account: a,
      fields: { ...base, ...firstMirror(row, a) },
      edit: {},
    };
    return row ? { ...planned, row } : planned;
  }
  const wb = writeBackFields(row, a);
  const conflict = conflictText(wb.conflicts, a.modified);
  const fields = { ...base, ...wb.fields, conflict };
  return { id: row.id, row, account: a, fields, edit: wb.edit, conflicted: wb.conflicts.length > 0 };
}

/** A mirrored relation Exact did not touch: only Dynamics edits can make it change. */
export function planUntouched(row: MirroredRelation): PlannedRelation {
  const wb = writeBackFields(row, undefined);
  // An edit written clears an earlier conflict; otherwise the row's text stays as it is.
  const conflict = Object.keys(wb.edit).length > 0 ? { conflict: null } : {};
  return { id: row.id, row, fields: { ...wb.fields, ...conflict }, edit: wb.edit };
}
