import type { TenantContext } from './dispatch';
import type { Clock, DispatchQueue, Ledger, TenantDirectory } from './ports';

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
  batchSize = 50,
): Promise<number> {
  const now = deps.clock.now();
  let count = 0;
  for (const admin of await deps.directory.administrations()) {
    const rows = (await deps.ledger.list(deps.tenant.tenantId, admin.division, ['failed']))
      .filter((e) => e.reason === 'exact_connection_lost' && e.rowId)
      .map((e) => e.rowId!);
    for (let i = 0; i < rows.length; i += batchSize) {
      const [first, ...rest] = rows.slice(i, i + batchSize);
      await deps.queue.enqueue(
        {
          tenantId: deps.tenant.tenantId,
          rowId: first!,
          rowIds: rest,
          exactInvoiceId: null,
          division: admin.division,
          administrationId: admin.id,
          trigger: 'resend',
          requestedAt: now.toISOString(),
        },
        {
          messageId: `${deps.tenant.tenantId}:reconnect:${admin.id}:${now.toISOString()}:${i}`,
          sessionId: `${deps.tenant.tenantId}:${admin.id}`,
        },
      );
    }
    count += rows.length;
  }
  return count;
}
