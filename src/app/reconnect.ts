import type { TenantContext } from './dispatch';
import type { Clock, DispatchQueue, Ledger, TenantDirectory } from './ports';
import { enqueueRowBatches, ROWS_PER_BATCH } from './requests';

/**
 * After an Exact connection is re-established, the invoices that failed only because it was lost
 * (`exact_connection_lost`) go out again without anyone having to set Resend on each: the cause is fixed.
 * They are re-decided, so anything that changed meanwhile (opt-out, processed by hand) is respected.
 */
export async function resumeAfterReconnect(
  deps: {
    tenant: TenantContext;
    directory: TenantDirectory;
    ledger: Ledger;
    queue: DispatchQueue;
    clock: Clock;
  },
  batchSize = ROWS_PER_BATCH,
): Promise<number> {
  const now = deps.clock.now();
  let count = 0;
  for (const admin of await deps.directory.administrations()) {
    const rows = (await deps.ledger.list(deps.tenant.tenantId, admin.division, ['failed']))
      .filter((e) => e.reason === 'exact_connection_lost' && e.rowId)
      .map((e) => e.rowId!);
    await enqueueRowBatches(
      { queue: deps.queue, tenantId: deps.tenant.tenantId },
      admin,
      rows,
      'resend',
      now,
      batchSize,
    );
    count += rows.length;
  }
  return count;
}
