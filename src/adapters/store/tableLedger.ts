/**
 * The ledger on Azure Table Storage: one row per (tenant, division, invoice), changed only under its ETag.
 * PartitionKey `${tenantId}:${division}` keeps a sweep's `list` to one partition; RowKey is the
 * lowercase Exact invoice GUID so webhook and sweep spellings meet on the same row.
 */
import { odata, type TableClient } from '@azure/data-tables';
import {
  LedgerConflictError,
  type Clock,
  type Ledger,
  type LedgerEntry,
  type LedgerKey,
  type LedgerPatch,
  type LedgerState,
} from '../../app/ports';
import { fromEntity, normaliseKey, partitionKeyOf, toEntity } from './ledgerEntity';
import {
  createTableClient,
  ensureTable,
  restStatus,
  toTableStoreError,
  type TableConnection,
} from './tables';

export const DEFAULT_LEDGER_TABLE = 'ledger';

export interface TableLedgerOptions {
  clock?: Clock;
}

export class TableLedger implements Ledger {
  private readonly clock: Clock;

  constructor(
    private readonly client: TableClient,
    options: TableLedgerOptions = {},
  ) {
    this.clock = options.clock ?? { now: () => new Date() };
  }

  async get(key: LedgerKey): Promise<LedgerEntry | null> {
    const k = normaliseKey(key);
    await ensureTable(this.client);
    try {
      const entity = await this.client.getEntity(partitionKeyOf(k.tenantId, k.division), k.invoiceId);
      return fromEntity(entity, entity.etag);
    } catch (err) {
      if (restStatus(err) === 404) return null;
      throw toTableStoreError(err, 'read ledger entry');
    }
  }

  async ensure(key: LedgerKey, rowId: string | null): Promise<LedgerEntry> {
    const k = normaliseKey(key);
    await ensureTable(this.client);
    const fresh: Omit<LedgerEntry, 'etag'> = {
      key: k,
      state: 'waiting',
      leaseUntil: null,
      attempts: 0,
      reason: null,
      facts: null,
      message: null,
      channel: null,
      scheduledFor: null,
      sentOn: null,
      rowId,
      writebackPending: false,
      invoiceNumber: null,
      notifiedReason: null,
      history: [],
      updatedAt: this.clock.now(),
    };
    try {
      const res = await this.client.createEntity(toEntity(fresh));
      if (res.etag) return { ...fresh, etag: res.etag };
    } catch (err) {
      if (restStatus(err) !== 409) throw toTableStoreError(err, 'create ledger entry');
    }
    // Someone else created it first (or the service gave no ETag): the stored row is the truth.
    const stored = await this.get(k);
    if (!stored) throw toTableStoreError(new Error('entry vanished after create'), 'read ledger entry');
    return stored;
  }

  async update(entry: LedgerEntry, patch: LedgerPatch): Promise<LedgerEntry> {
    await ensureTable(this.client);
    const next: Omit<LedgerEntry, 'etag'> = { ...entry, ...definedOnly(patch), updatedAt: this.clock.now() };
    const entity = toEntity(next);
    let etag: string | undefined;
    try {
      etag = (await this.client.updateEntity(entity, 'Replace', { etag: entry.etag })).etag;
    } catch (err) {
      // 404: the row was removed since it was read; for the caller that is the same lost race.
      const status = restStatus(err);
      if (status === 412 || status === 404) throw new LedgerConflictError(entry.key);
      throw toTableStoreError(err, 'update ledger entry');
    }
    // Built from the entity, not from `next`: the entity bounds history and message, the caller sees that.
    if (etag) return fromEntity({ ...entity }, etag);
    const reread = await this.get(entry.key);
    if (!reread) throw new LedgerConflictError(entry.key);
    return reread;
  }

  async list(
    tenantId: string,
    division: number,
    states: LedgerState[],
    options: { updatedSince?: Date } = {},
  ): Promise<LedgerEntry[]> {
    if (states.length === 0) return [];
    await ensureTable(this.client);
    const pk = partitionKeyOf(tenantId, division);
    const stateFilter = states.map((s) => odata`state eq ${s}`).join(' or ');
    // updatedAt is an ISO-8601 string, so string order is time order.
    const since = options.updatedSince
      ? ` and ${odata`updatedAt ge ${options.updatedSince.toISOString()}`}`
      : '';
    const filter = `${odata`PartitionKey eq ${pk}`} and (${stateFilter})${since}`;
    const out: LedgerEntry[] = [];
    try {
      for await (const entity of this.client.listEntities({ queryOptions: { filter } })) {
        out.push(fromEntity(entity, entity.etag));
      }
    } catch (err) {
      throw toTableStoreError(err, 'list ledger entries');
    }
    return out;
  }

  async sweptAt(tenantId: string, division: number): Promise<Date | null> {
    await ensureTable(this.client);
    try {
      const mark = await this.client.getEntity<{ sweptAt?: string }>(
        partitionKeyOf(tenantId, division),
        SWEEP_MARK,
      );
      const at = mark.sweptAt ? new Date(mark.sweptAt) : null;
      return at && !Number.isNaN(at.getTime()) ? at : null;
    } catch (err) {
      if (restStatus(err) === 404) return null;
      throw toTableStoreError(err, 'read sweep mark');
    }
  }

  async markSwept(tenantId: string, division: number, at: Date): Promise<void> {
    const before = await this.sweptAt(tenantId, division);
    if (before && before >= at) return;
    try {
      await this.client.upsertEntity(
        { partitionKey: partitionKeyOf(tenantId, division), rowKey: SWEEP_MARK, sweptAt: at.toISOString() },
        'Replace',
      );
    } catch (err) {
      throw toTableStoreError(err, 'write sweep mark');
    }
  }
}

/**
 * The sweep mark lives in the administration's own partition under a RowKey no invoice can have (RowKeys
 * are lower-case GUIDs; `~` sorts after them). It has no `state`, so no `list` query ever returns it.
 */
const SWEEP_MARK = '~swept';

/** `createTableLedger(cs)` → a Ledger on table `ledger`, created on first use. */
export function createTableLedger(
  connection: TableConnection,
  options: TableLedgerOptions & { table?: string } = {},
): TableLedger {
  return new TableLedger(createTableClient(connection, options.table ?? DEFAULT_LEDGER_TABLE), options);
}

/** A patch with `undefined` values must not erase fields (spreading would); `null` does clear. */
function definedOnly(patch: LedgerPatch): LedgerPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as LedgerPatch;
}
