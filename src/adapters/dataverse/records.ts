import type { z } from 'zod';
import type {
  DispatchWriteback,
  InvoiceContext,
  InvoiceRecords,
  InvoiceRow,
  NewInvoiceRow,
  RowWrite,
} from '../../app/ports';
import type { DataverseClient } from './client';
import type { AdministrationFacts } from '../../domain/types';
import { DataverseNotFoundError, DataverseValidationError, classifyDataverseError } from './errors';
import {
  toAdministrationFacts,
  toCreateColumns,
  toDispatchColumns,
  toInvoiceRow,
  toRelationFacts,
} from './mapping';
import {
  ADMINISTRATION_CONTEXT_READ,
  ADMINISTRATION_EXPAND,
  collectionOf,
  DataverseCreatedInvoiceSchema,
  DataverseInvoiceContextSchema,
  DataverseSalesInvoiceSchema,
  INVOICE_COLUMNS,
  RELATION_CONTEXT_READ,
  RELATION_EXPAND,
} from './schemas';
import { ADMINISTRATION, expandOf, RELATION, SALES_INVOICE, wireName } from './vocabulary';

const SET = SALES_INVOICE.entitySet;
const ID = SALES_INVOICE.primaryId;
/** Ids per `$filter` (an `or` chain); keeps URLs far below the 2,000 characters where dynamics-web-api switches to `$batch`. */
const IDS_PER_QUERY = 25;
/** Dataverse accepts up to 1,000 operations per `$batch`. */
const ROWS_PER_BATCH = 500;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class DataverseInvoiceRecords implements InvoiceRecords {
  constructor(private readonly client: DataverseClient) {}

  async loadContext(rowId: string): Promise<InvoiceContext | null> {
    const key = guid('row id', rowId);
    try {
      const data = await this.client.run(
        'load invoice context',
        (api) => api.retrieve({ collection: SET, key, select: [...INVOICE_COLUMNS], expand: CONTEXT_EXPAND }),
        { idempotent: true },
      );
      return toContext(this.client.parse('load invoice context', DataverseInvoiceContextSchema, data));
    } catch (err) {
      if (err instanceof DataverseNotFoundError) return null;
      throw err;
    }
  }

  async loadContexts(rowIds: string[]): Promise<Map<string, InvoiceContext>> {
    const ids = [...new Set(rowIds.map((id) => guid('row id', id)))];
    const out = new Map<string, InvoiceContext>();
    for (let i = 0; i < ids.length; i += CONTEXTS_PER_QUERY) {
      const filter = ids
        .slice(i, i + CONTEXTS_PER_QUERY)
        .map((id) => `${ID} eq ${id}`)
        .join(' or ');
      const data = await this.client.run(
        'load invoice contexts',
        (api) =>
          // No primary id in `$select`: Dataverse always sends it, and the URL has no room to spare.
          api.retrieveAll({ collection: SET, select: [...INVOICE_COLUMNS], expand: CONTEXT_EXPAND, filter }),
        { idempotent: true },
      );
      for (const row of this.client.parse(
        'load invoice contexts',
        collectionOf(DataverseInvoiceContextSchema),
        data,
      ).value) {
        const context = toContext(row);
        out.set(context.invoice.rowId.toLowerCase(), context);
      }
    }
    return out;
  }

  async findByExactIds(administrationId: string, exactInvoiceIds: string[]): Promise<InvoiceRow[]> {
    const admin = guid('administration id', administrationId);
    const ids = [...new Set(exactInvoiceIds.map((id) => guid('Exact invoice id', id)))];
    const out: InvoiceRow[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      const filter = `${wireName(SALES_INVOICE, 'eol_administrationid')} eq ${admin} and (${chunk.map((id) => `${EXACT_ID} eq '${id}'`).join(' or ')})`;
      const data = await this.client.run(
        'find invoices by Exact id',
        (api) => api.retrieveAll({ collection: SET, select: [ID, ...INVOICE_COLUMNS], filter }),
        { idempotent: true },
      );
      out.push(
        ...this.client
          .parse('find invoices by Exact id', collectionOf(DataverseSalesInvoiceSchema), data)
          .value.map(toInvoiceRow),
      );
    }
    return out;
  }

  /** One `$batch` (one changeset: all rows or none) per 500 rows. */
  async createRows(rows: NewInvoiceRow[]): Promise<Map<string, string>> {
    const created = new Map<string, string>();
    for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) {
      const chunk = rows.slice(i, i + ROWS_PER_BATCH);
      const results = await this.client.run(
        'create invoice rows',
        async (api) => {
          api.startBatch();
          for (const row of chunk) {
            void api.create({
              collection: SET,
              data: toCreateColumns(row),
              returnRepresentation: true,
              select: [EXACT_ID],
            });
          }
          return api.executeBatch();
        },
        { idempotent: false, fresh: true },
      );
      const list: unknown[] = Array.isArray(results) ? results : [results];
      const failed = list.find((r) => r instanceof Error);
      if (failed) throw classifyDataverseError('create invoice rows', failed, []);
      if (list.length !== chunk.length)
        throw new DataverseValidationError(
          `Dataverse create invoice rows answered ${list.length} results for ${chunk.length} rows`,
        );
      for (const r of list) {
        const row = this.client.parse('create invoice rows', DataverseCreatedInvoiceSchema, r);
        created.set(row.eol_exactinvoiceid, row.eol_salesinvoiceid);
      }
    }
    return created;
  }

  /** One PATCH with `If-Match: *`: never creates a row that was deleted meanwhile. */
  async writeDispatch(rowId: string, update: DispatchWriteback): Promise<void> {
    const key = guid('row id', rowId);
    const data = dispatchColumns(update);
    await this.client.run(
      'write dispatch status',
      async (api) => {
        // propagateErrors is not set: dynamics-web-api turns a 412 into `false` instead of throwing.
        const ok: unknown = await api.update({ collection: SET, key, data, ifmatch: '*' });
        if (ok === false) throw Object.assign(new Error('the row changed or was removed'), { status: 412 });
      },
      { idempotent: true },
    );
  }

  /**
   * Several rows' dispatch columns in ONE `$batch` (each PATCH on its own, `If-Match: *`, continue on error);
   * one write is a plain PATCH. Answers per write: null when written, else its classified error.
   */
  async writeDispatches(writes: RowWrite[]): Promise<Array<Error | null>> {
    if (writes.length === 1)
      return [
        await this.writeDispatch(writes[0]!.rowId, writes[0]!.update).then(
          () => null,
          (err: unknown) => err as Error,
        ),
      ];
    const out: Array<Error | null> = [];
    for (let i = 0; i < writes.length; i += ROWS_PER_BATCH) {
      const chunk = writes.slice(i, i + ROWS_PER_BATCH);
      const parts = chunk.map((w) => ({ key: guid('row id', w.rowId), data: dispatchColumns(w.update) }));
      const results = await this.client.run(
        'write dispatch status',
        async (api) => {
          api.startBatch();
          for (const p of parts)
            void api.update({ collection: SET, key: p.key, data: p.data, ifmatch: '*', inChangeSet: false });
          return api.executeBatch({ continueOnError: true });
        },
        { idempotent: true, fresh: true },
      );
      const list: unknown[] = Array.isArray(results) ? results : [results];
      // A missing answer must not read as written: the ledger would take a number its row never got.
      if (list.length !== chunk.length)
        throw new DataverseValidationError(
          `Dataverse write dispatch status answered ${list.length} results for ${chunk.length} rows`,
        );
      for (let j = 0; j < chunk.length; j++) {
        const r = list[j];
        const err =
          r instanceof Error || r === false
            ? classifyDataverseError('write dispatch status', rowGone(r), [])
            : null;
        // A throttled or failing operation inside the batch goes again alone, with the single write's retries.
        out.push(
          err?.transient
            ? await this.writeDispatch(chunk[j]!.rowId, chunk[j]!.update).then(
                () => null,
                (e: unknown) => e as Error,
              )
            : err,
        );
      }
    }
    return out;
  }
}

/** dynamics-web-api answers a PATCH refused with 412 as `false` (see writeDispatch). */
function rowGone(r: unknown): unknown {
  return r === false ? Object.assign(new Error('the row changed or was removed'), { status: 412 }) : r;
}

function dispatchColumns(update: DispatchWriteback) {
  return toDispatchColumns(
    update.emailId ? { ...update, emailId: guid('email id', update.emailId) } : update,
  );
}

const EXACT_ID = wireName(SALES_INVOICE, 'eol_exactinvoiceid');
/** The relation and administration, each with its layouts through their lookups (a nested `$expand`). */
const CONTEXT_EXPAND = [
  { ...expandOf(SALES_INVOICE, 'eol_relationid', RELATION, RELATION_CONTEXT_READ), expand: RELATION_EXPAND },
  {
    ...expandOf(SALES_INVOICE, 'eol_administrationid', ADMINISTRATION, ADMINISTRATION_CONTEXT_READ),
    expand: ADMINISTRATION_EXPAND,
  },
];
/**
 * Rows per expanded query: with the selected columns and the nested layout expands the URL stays below the
 * 2,000 characters where dynamics-web-api turns a GET into a `$batch` (gateway.test.ts measures it). Ids
 * and names have fixed lengths, so the URL of 8 rows is 1,993 characters, encoded, every time (with the
 * relation's KvK, OIN and VAT for the Peppol lookup on the mirror, issue 16): a column added to the context
 * must take the place of another, or this number goes down.
 */
const CONTEXTS_PER_QUERY = 8;

function toContext(row: z.infer<typeof DataverseInvoiceContextSchema>): InvoiceContext {
  return {
    invoice: toInvoiceRow(row),
    relation: row.eol_relationid ? toRelationFacts(row.eol_relationid) : null,
    administration: row.eol_administrationid
      ? sendNow(row, toAdministrationFacts(row.eol_administrationid))
      : null,
  };
}

/** Send now: the invoice is decided as if its administration sent as soon as ready (docs/decisions/0086). */
function sendNow(row: { eol_sendnow?: boolean | null }, a: AdministrationFacts): AdministrationFacts {
  return row.eol_sendnow === true ? { ...a, timing: 'immediate' } : a;
}

function guid(what: string, value: string): string {
  if (!GUID.test(value)) throw new DataverseValidationError(`Dataverse ${what} is not a GUID`);
  return value.toLowerCase();
}
