/**
 * Small shared helpers for Azure Table Storage (ledger, Exact token store).
 * In Azure the storage account has shared keys off, so an endpoint + managed identity credential is the
 * production shape; a connection string is what Azurite and local runs use.
 */
import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/core-auth';
import { IntegrationError } from '../../app/errors';
import type { ReasonCode } from '../../domain/reasons';

export type TableConnection = string | { endpoint: string; credential: TokenCredential };

/**
 * `createTableClient(cs, 'ledger')` → a client for one table. The table is not created here;
 * call `ensureTable(client)` before the first operation (idempotent and memoised).
 */
export function createTableClient(connection: TableConnection, table: string): TableClient {
  if (typeof connection === 'string') {
    // The SDK refuses plain http unless told; only Azurite/local endpoints are http.
    const insecure =
      /(^|;)\s*(DefaultEndpointsProtocol=http|TableEndpoint=http:|UseDevelopmentStorage=true)/i.test(
        connection,
      );
    return TableClient.fromConnectionString(connection, table, { allowInsecureConnection: insecure });
  }
  return new TableClient(connection.endpoint, table, connection.credential, {
    allowInsecureConnection: connection.endpoint.startsWith('http:'),
  });
}

const created = new WeakMap<TableClient, Promise<void>>();

/** Creates the client's table once per client; a failed attempt is forgotten so the next call retries. */
export function ensureTable(client: TableClient): Promise<void> {
  let pending = created.get(client);
  if (!pending) {
    pending = client.createTable().catch((err: unknown) => {
      created.delete(client);
      throw toTableStoreError(err, `create table ${client.tableName}`);
    });
    created.set(client, pending);
  }
  return pending;
}

/** HTTP status of a RestError from the Tables SDK, if any (`err.code` is often undefined there). */
export function restStatus(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Raised when Table Storage fails for a reason other than an expected 404/409/412. The ledger (and the
 * token store beside it) cannot be read or written: `ledger_unavailable`, whose outcome is retry
 * (PRODUCT.md §15). Every such fault is transient — also a 403 (a role assignment not yet in place) or a
 * 400: without the ledger nothing can be recorded, not even a failure, and the queue's delivery count
 * bounds the retries (docs/decisions/0050).
 */
export class TableStoreError extends IntegrationError {
  readonly reason: ReasonCode = 'ledger_unavailable';
  readonly transient = true;
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

/** Wraps an SDK error; the message names the operation and status only (SDK messages can echo URLs with SAS). */
export function toTableStoreError(err: unknown, operation: string): TableStoreError {
  if (err instanceof TableStoreError) return err;
  const status = restStatus(err);
  const code = (err as { code?: unknown } | null)?.code;
  const detail = status !== undefined ? `HTTP ${status}` : typeof code === 'string' ? code : 'no response';
  return new TableStoreError(`table storage: ${operation} failed (${detail})`, status, { cause: err });
}
