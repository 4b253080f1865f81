import { app, type InvocationContext, type Timer } from '@azure/functions';
import { runSync } from '../src/app/connected';
import { summaryLines } from '../src/app/masterData';
import { getRuntime, masterDataPorts, type Runtime, type TenantRuntime } from '../src/composition/runtime';

/**
 * The daily master-data sync (PRODUCT.md §11): per tenant connected to Exact, administrations, layouts and
 * relations mirrored from Exact, Dynamics edits written back. One sync per tenant; one failing tenant does
 * not stop the others (the next day, or the next connect, tries again).
 */
export async function masterDataSync(_timer: Timer | null, context: InvocationContext): Promise<void> {
  const rt = await getRuntime();
  for (const tenant of rt.tenants) {
    if (!(await tenant.connection.isConnected())) continue;
    const result = await runSync(masterDataPorts(tenant));
    if (result.kind === 'synced')
      for (const line of summaryLines(result.summary)) rt.log.info(`master data ${tenant.name}: ${line}`);
    else if (result.kind === 'failed') {
      context.error(`master data ${tenant.name}: sync failed: ${result.error}`);
      rt.log.error(`master data ${tenant.name}: sync failed`, { error: result.error });
    }
    await pruneChanges(rt, tenant);
  }
}

/** Exact webhooks noted more than a day ago: no reuse time reaches them (decision 0155). */
async function pruneChanges(rt: Runtime, tenant: TenantRuntime): Promise<void> {
  const before = new Date(rt.clock.now().getTime() - 86_400_000);
  try {
    const divisions = new Set((await tenant.directory.administrations()).map((a) => a.division));
    for (const division of divisions) await rt.exactChanges.prune(tenant.name, division, before);
  } catch (err) {
    rt.log.warn(`master data ${tenant.name}: old Exact changes not pruned (${(err as Error).message})`);
  }
}

app.timer('masterDataSync', { schedule: '%MasterDataSyncSchedule%', handler: masterDataSync });
