import type { AccountEdit, ExactAccount } from './ports';
import type { RelationFields, WrittenBackFields } from './records';

/**
 * Decision 0076: the three fields written to Exact, each compared with its base (the value last seen in
 * Exact, kept on the relation). A Dynamics value that differs from the base is an edit; it is written to
 * Exact unless Exact's value differs from the base too (Exact changed it since the last sync): then nothing
 * is overwritten on either side and the row names both values.
 */
type Value = string | number | null;

/** What the rule reads of a relation: the three Dynamics values and their bases. */
export type WriteBackInput = WrittenBackFields &
  Pick<RelationFields, 'exactInvoiceMethod' | 'exactInvoiceEmail' | 'exactPeppolId'>;

interface FieldRule {
  field: keyof WrittenBackFields;
  base: 'exactInvoiceMethod' | 'exactInvoiceEmail' | 'exactPeppolId';
  /** The field's name in the PUT to `crm/Accounts`. */
  edit: keyof AccountEdit;
  label: string;
  /** Exact's value as Exact holds it. */
  exact(a: ExactAccount): Value;
  /** The Dynamics value as it would be written to Exact; null: not writable (never sent). */
  toExact(v: Value): Value;
  /** The Exact value as Dynamics shows it. */
  toDynamics(v: Value): Value;
  /** A Dynamics value Exact does not have (the connector's "automatic" method): kept, never written. */
  localOnly(v: Value): boolean;
}

/** Exact's `InvoicingMethod` codes the Dynamics choice shares (8 "send and track" has no Dynamics value). */
const SHARED_METHODS = [1, 2, 4, 32];
const method = (v: Value): Value => (typeof v === 'number' && SHARED_METHODS.includes(v) ? v : null);
const firstAddress = (v: Value): Value => (typeof v === 'string' ? v.split(/[;,]/)[0]!.trim() || null : null);
const trimmed = (v: Value): Value => (typeof v === 'string' ? v.trim() || null : null);

export const WRITTEN_BACK: readonly FieldRule[] = [
  {
    field: 'invoiceMethod',
    base: 'exactInvoiceMethod',
    edit: 'invoicingMethod',
    label: 'Invoice method',
    exact: (a) => a.invoicingMethod,
    toExact: method,
    toDynamics: method,
    localOnly: (v) => v === 0,
  },
  {
    field: 'invoiceEmail',
    base: 'exactInvoiceEmail',
    edit: 'email',
    label: 'Invoice email',
    exact: (a) => a.email,
    // Exact holds one address: of a Dynamics list the first is written (decision 0070).
    toExact: firstAddress,
    toDynamics: trimmed,
    localOnly: () => false,
  },
  {
    field: 'peppolId',
    base: 'exactPeppolId',
    edit: 'peppolId',
    label: 'Peppol id',
    exact: (a) => a.peppolId,
    toExact: trimmed,
    toDynamics: trimmed,
    localOnly: () => false,
  },
];

/** The relation's base columns of the fields an edit carries. */
export function baseKeysOf(edit: AccountEdit): Array<FieldRule['base']> {
  return WRITTEN_BACK.filter((r) => edit[r.edit] !== undefined).map((r) => r.base);
}

/** Values compare as Exact would store them: case and surrounding spaces aside. */
export function sameExactValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() || null : (v ?? null));
  return norm(a) === norm(b);
}

export interface FieldOutcome {
  /** Fields of the relation to write (Dynamics value and/or base). */
  fields: Partial<RelationFields>;
  /** What to PUT to Exact. */
  edit: AccountEdit;
  conflicts: Array<{ label: string; dynamics: Value; exact: Value }>;
}

/**
 * One relation already mirrored: `account` is Exact's row when this sync's pull returned it (Exact changed
 * something since the cursor), undefined when Exact did not touch it (so Exact still holds the base).
 */
export function writeBackFields(row: WriteBackInput, account: ExactAccount | undefined): FieldOutcome {
  const out: FieldOutcome = { fields: {}, edit: {}, conflicts: [] };
  for (const rule of WRITTEN_BACK) field(rule, row, account, out);
  return out;
}

function field(
  r: FieldRule,
  row: WriteBackInput,
  account: ExactAccount | undefined,
  out: FieldOutcome,
): void {
  const dynamics = row[r.field];
  const base = row[r.base];
  const wanted = r.toExact(dynamics);
  // Dynamics showing the base as it is — Exact's own list of addresses, say — is no edit, although only its first
  // address would be written: Exact's value is never rewritten without a change in Dynamics.
  const edited =
    wanted !== null && !sameExactValue(wanted, base) && !sameExactValue(dynamics, r.toDynamics(base));
  const exact = account ? r.exact(account) : base;
  const set = (values: Partial<RelationFields>) => Object.assign(out.fields, values);
  if (!edited) {
    // Dynamics keeps a value that already means Exact's to Exact (a list whose first address is Exact's).
    const same = wanted !== null && sameExactValue(wanted, exact);
    if (account && !r.localOnly(dynamics) && !same) set({ [r.field]: r.toDynamics(exact), [r.base]: exact });
    else if (account) set({ [r.base]: exact });
    return;
  }
  if (sameExactValue(exact, base)) {
    Object.assign(out.edit, { [r.edit]: wanted });
    // The base follows the write, so the next pull (which returns the account again) changes nothing.
    set({ [r.base]: wanted });
  } else if (sameExactValue(exact, wanted)) set({ [r.base]: exact });
  else out.conflicts.push({ label: r.label, dynamics, exact });
}
