import type { AdministrationFacts } from '../domain/types';
import type { DispatchQueue, DispatchTrigger } from './ports';

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
        sessionId: `${deps.tenantId}:${admin.id}`,
      },
    );
  }
  return n;
}
