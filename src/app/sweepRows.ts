/**
 * Rows for invoices that Exact lists as open: found by Exact id, or created for recurring and manual
 * invoices, which have none. Used by the sweep and the batch use case.
 */
import { SOURCE, type AdministrationFacts, type Source } from '../domain/types';
import type { ExactInvoiceState, InvoiceRecords, NewInvoiceRow, TenantDirectory } from './ports';

interface RowDeps {
  records: InvoiceRecords;
  directory: TenantDirectory;
}

/**
 * The eol_salesinvoice row of every open invoice: found by Exact id, or created (recurring and manual
 * invoices have none). Shared by the sweep and the batch use case.
 */
export async function rowsForOpenInvoices(
  deps: RowDeps,
  admin: AdministrationFacts,
  open: ExactInvoiceState[],
): Promise<{ rowIdByInvoice: Map<string, string>; resendRows: Set<string>; created: number }> {
  const rowIdByInvoice = new Map<string, string>();
  const resendRows = new Set<string>();
  for (const chunk of chunks(
    open.map((i) => i.invoiceId.toLowerCase()),
    50,
  )) {
    for (const row of await deps.records.findByExactIds(admin.id, chunk)) {
      if (row.exactInvoiceId) rowIdByInvoice.set(row.exactInvoiceId.toLowerCase(), row.rowId);
      if (row.resend) resendRows.add(row.rowId);
    }
  }

  const missing = open.filter((i) => !rowIdByInvoice.has(i.invoiceId.toLowerCase()));
  let created = 0;
  if (missing.length > 0) {
    const relations = new Map(
      (await deps.directory.relations(admin.id)).map((r) => [r.exactAccountId.toLowerCase(), r]),
    );
    for (const chunk of chunks(missing, 100)) {
      const ids = await createOrFind(deps, admin.id, chunk, (inv) => ({
        exactInvoiceId: inv.invoiceId.toLowerCase(),
        administrationId: admin.id,
        relationId: relations.get(inv.invoiceTo.toLowerCase())?.id ?? null,
        name: inv.invoiceNumber ? String(inv.invoiceNumber) : rowLabel(inv),
        invoiceNumber: inv.invoiceNumber,
        invoiceDate: inv.invoiceDate,
        source: classifySource(inv),
      }));
      for (const [exactId, rowId] of ids.rows) rowIdByInvoice.set(exactId.toLowerCase(), rowId);
      created += ids.created;
    }
  }

  return { rowIdByInvoice, resendRows, created };
}

/**
 * Creates the missing rows. Another sweep (a second instance, an overlapping timer) may have created them
 * a moment earlier, in which case Dataverse refuses the batch on the alternate key: the rows that exist
 * now are read back and used, so concurrent sweeps meet on the same rows instead of failing.
 */
async function createOrFind(
  deps: Pick<RowDeps, 'records'>,
  administrationId: string,
  chunk: ExactInvoiceState[],
  toRow: (inv: ExactInvoiceState) => NewInvoiceRow,
): Promise<{ rows: Map<string, string>; created: number }> {
  try {
    const rows = await deps.records.createRows(chunk.map(toRow));
    return { rows, created: rows.size };
  } catch (err) {
    const ids = chunk.map((i) => i.invoiceId.toLowerCase());
    const existing = await deps.records.findByExactIds(administrationId, ids);
    const rows = new Map(
      existing.filter((r) => r.exactInvoiceId).map((r) => [r.exactInvoiceId!.toLowerCase(), r.rowId]),
    );
    if (ids.some((id) => !rows.has(id))) throw err;
    return { rows, created: 0 };
  }
}

/** Rows made by Dynamics already exist (source 1); an invoice without one came from Exact (its origin). */
export function classifySource(inv: ExactInvoiceState): Source {
  return inv.origin === 'recurring' ? SOURCE.recurring : SOURCE.manual;
}

/** Until Exact assigns a number (at printing), the row is named after what Exact shows in its list. */
export function rowLabel(inv: ExactInvoiceState): string {
  const what = (inv.description ?? '').trim() || inv.invoiceToName || 'Invoice';
  return `${what.slice(0, 60)} (${inv.invoiceDate})`;
}

export function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
