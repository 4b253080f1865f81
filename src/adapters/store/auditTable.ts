/**
 * The operator's audit log in Table Storage (table `operatoraudit`, decision 0091): one entity per action,
 * partition = tenant, row key = inverted time + a random suffix, so a partition reads newest first.
 * Entries are only ever inserted.
 */
import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { AuditEntry, AuditLog } from '../../app/operator/ports';
import { ensureTable, toTableStoreError } from './tables';

const MAX_MS = 9_999_999_999_999;

export function createTableAudit(client: TableClient): AuditLog {
  return {
    async record(e) {
      await ensureTable(client);
      const rowKey = `${String(MAX_MS - e.at.getTime()).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
      await client
        .createEntity({
          partitionKey: e.tenant,
          rowKey,
          at: e.at.toISOString(),
          who: e.who,
          action: e.action,
          target: e.target,
          outcome: e.outcome,
          detail: JSON.stringify(e.detail),
        })
        .catch((err: unknown) => {
          throw toTableStoreError(err, 'record operator action');
        });
    },
    async list(tenant, limit) {
      await ensureTable(client);
      const out: AuditEntry[] = [];
      const filter = `PartitionKey eq '${tenant.replace(/'/g, "''")}'`;
      try {
        for await (const row of client.listEntities<Record<string, string>>({ queryOptions: { filter } })) {
          out.push(fromEntity(tenant, row));
          if (out.length >= limit) break;
        }
      } catch (err) {
        throw toTableStoreError(err, 'list operator actions');
      }
      return out;
    },
  };
}

function fromEntity(tenant: string, row: Record<string, string>): AuditEntry {
  let detail: AuditEntry['detail'];
  try {
    detail = JSON.parse(row.detail ?? '{}') as AuditEntry['detail'];
  } catch {
    detail = {};
  }
  return {
    at: new Date(row.at ?? 0),
    who: row.who ?? '',
    action: (row.action ?? '') as AuditEntry['action'],
    tenant,
    target: row.target ?? '',
    outcome: row.outcome === 'error' ? 'error' : 'ok',
    detail,
  };
}
