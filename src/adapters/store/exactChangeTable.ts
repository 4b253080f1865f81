/**
 * The Exact webhook change log on Azure Table Storage (decision 0155): what every instance's Exact webhook
 * answered, so that any instance's remembered reads (src/app/recentReads.ts) drop what changed.
 * - PartitionKey `<tenant>|<division>` (the tenant percent-encoded: RowKey/PartitionKey forbid `/ \ # ?`).
 * - A change: RowKey `<ISO arrival>|<topic>|<key>`, so "noted since T" is one range query.
 * - A subscription: RowKey `~<topic>`; `~` sorts after every ISO instant, so the same query returns it.
 * Change rows older than a day are deleted after the daily master-data sync (`prune`, functions/masterDataSync.ts):
 * no reuse time reaches that far back, so a row left behind only costs storage, never correctness.
 */
import { odata, type TableClient } from '@azure/data-tables';
import type { ExactChangeLog, NotedChanges } from '../../app/recentReads';
import { createTableClient, ensureTable, toTableStoreError, type TableConnection } from './tables';

export const DEFAULT_EXACT_CHANGES_TABLE = 'exactChanges';
const SUBSCRIBED = '~';

export function createExactChangeClient(
  connection: TableConnection,
  table = DEFAULT_EXACT_CHANGES_TABLE,
): TableClient {
  return createTableClient(connection, table);
}

const partition = (tenantId: string, division: number) => `${encodeURIComponent(tenantId)}|${division}`;

/** The change log, and the daily clean-up of rows no reuse time reaches any more. */
export type ExactChangeTable = ExactChangeLog & {
  prune(tenantId: string, division: number, before: Date): Promise<number>;
};

export function tableExactChangeLog(client: TableClient): ExactChangeTable {
  const upsert = async (entity: { partitionKey: string; rowKey: string; at: Date }, what: string) => {
    try {
      await ensureTable(client);
      await client.upsertEntity(entity, 'Replace');
    } catch (err) {
      throw toTableStoreError(err, what);
    }
  };
  return {
    async note(tenantId, division, topic, key, at) {
      const rowKey = `${at.toISOString()}|${topic}|${encodeURIComponent(key.toLowerCase())}`;
      await upsert({ partitionKey: partition(tenantId, division), rowKey, at }, 'note an Exact change');
    },
    async subscribed(tenantId, division, topic, at) {
      const rowKey = `${SUBSCRIBED}${topic}`;
      await upsert({ partitionKey: partition(tenantId, division), rowKey, at }, 'note a subscription');
    },
    async since(tenantId, division, since): Promise<NotedChanges> {
      const out: NotedChanges = { topics: new Set(), changes: [] };
      const filter = odata`PartitionKey eq ${partition(tenantId, division)} and RowKey ge ${since.toISOString()}`;
      try {
        await ensureTable(client);
        for await (const e of client.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
          const rowKey = String(e.rowKey ?? '');
          if (rowKey.startsWith(SUBSCRIBED)) {
            out.topics.add(rowKey.slice(SUBSCRIBED.length));
            continue;
          }
          const [at, topic, key] = rowKey.split('|');
          const when = new Date(at ?? '');
          if (topic && key && !Number.isNaN(when.getTime()))
            out.changes.push({ topic, key: decodeURIComponent(key), at: when });
        }
      } catch (err) {
        throw toTableStoreError(err, 'read Exact changes');
      }
      return out;
    },
    async prune(tenantId, division, before) {
      const pk = partition(tenantId, division);
      const filter = odata`PartitionKey eq ${pk} and RowKey lt ${before.toISOString()}`;
      let deleted = 0;
      try {
        await ensureTable(client);
        for await (const e of client.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
          await client.deleteEntity(pk, String(e.rowKey));
          deleted++;
        }
      } catch (err) {
        throw toTableStoreError(err, 'prune Exact changes');
      }
      return deleted;
    },
  };
}
