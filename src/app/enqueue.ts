import type { AdministrationFacts } from '../domain/types';
import type { DispatchQueue, DispatchRequest, DispatchTrigger } from './ports';

/** The rows a request carries (`rowId` then `rowIds`), each once. */
export function rowIdsOf(request: Pick<DispatchRequest, 'rowId' | 'rowIds'>): string[] {
  return [...new Set([request.rowId, ...(request.rowIds ?? [])].filter((x): x is string => !!x))];
}

/**
 * One session per tenant and administration keeps one consumer per Exact rate budget. A request that
 * names no administration (an update event without it) gets a session of its own row.
 */
export function sessionFor(tenantId: string, administrationId: string | null, rowId: string | null): string {
  return administrationId ? `${tenantId}:${administrationId.toLowerCase()}` : `${tenantId}:row:${rowId}`;
}

/**
 * Enqueues rows of one administration in batches (one Exact status call confirms a batch), on the
 * administration's session. MessageIds name the cause and instant, so a repeated call collapses.
 */
export async function enqueueRowBatches(
  deps: { queue: DispatchQueue; tenantId: string },
  admin: Pick<AdministrationFacts, 'id' | 'division'>,
  rowIds: string[],
  trigger: DispatchTrigger,
  now: Date,
  batchSize = 50,
): Promise<number> {
  let n = 0;
  for (let i = 0; i < rowIds.length; i += batchSize) {
    const [first, ...rest] = rowIds.slice(i, i + batchSize);
    await deps.queue.enqueue(
      {
        tenantId: deps.tenantId,
        rowId: first!,
        rowIds: rest,
        exactInvoiceId: null,
        division: admin.division,
        administrationId: admin.id,
        trigger,
        requestedAt: now.toISOString(),
      },
      {
        messageId: `${deps.tenantId}:${trigger}:${admin.id}:${now.toISOString()}:${n++}`,
        sessionId: sessionFor(deps.tenantId, admin.id, first!),
      },
    );
  }
  return n;
}
