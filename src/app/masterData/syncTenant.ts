import type { MatchRule } from '../../domain/relationMatch';
import type { ReasonCode } from '../../domain/reasons';
import { IntegrationError } from '../errors';
import type { DynamicsAccount, MasterDataRecords } from './records';
import type { UnlinkedRelation } from './relationLinks';
import { syncAdministrations } from './syncAdministrations';
import { syncLayouts } from './syncLayouts';
import { syncRelations } from './syncRelations';
import type { MasterDataPorts } from './types';

/** What one tenant's sync did: printed by the demo, answered by the connect callback. */
export interface SyncSummary {
  administrations: { created: string[]; gone: string[]; renamed: string[] };
  layouts: { created: number; updated: number; gone: number };
  relations: {
    created: number;
    updated: number;
    gone: number;
    linkedBy: Record<MatchRule, number>;
    newlyLinked: number;
    unlinked: Array<UnlinkedRelation & { administration: string }>;
    writtenBack: number;
    conflicts: string[];
    writeBackFailed: string[];
  };
  /** Retired GUID text layouts moved to their lookups, and those no mirrored layout has (decision 0075). */
  layoutMigration: { migrated: number; unmigrated: string[] };
  /** Exact calls: divisions, layouts (two lists per administration), account pages, PUTs. */
  exactCalls: number;
  /** Rows written to Dataverse (created or updated). */
  dataverseWrites: number;
  /** Administrations whose layouts or relations could not be synced this time (the others were). */
  failed: Array<{ administration: string; reason: ReasonCode; transient: boolean }>;
}

function emptySummary(): SyncSummary {
  return {
    administrations: { created: [], gone: [], renamed: [] },
    layouts: { created: 0, updated: 0, gone: 0 },
    relations: {
      created: 0,
      updated: 0,
      gone: 0,
      linkedBy: { link: 0, kvk: 0, vat: 0, name: 0 },
      newlyLinked: 0,
      unlinked: [],
      writtenBack: 0,
      conflicts: [],
      writeBackFailed: [],
    },
    layoutMigration: { migrated: 0, unmigrated: [] },
    exactCalls: 0,
    dataverseWrites: 0,
    failed: [],
  };
}

/**
 * One tenant's master-data sync (PRODUCT.md §11): administrations, then per administration Exact still
 * has its layouts and relations. Run on connect and daily; a sync in which nothing changed writes nothing.
 */
export async function syncTenant(given: MasterDataPorts): Promise<SyncSummary> {
  const ports = { ...given, records: accountsReadOnce(given.records) };
  const s = emptySummary();
  const admins = await syncAdministrations(ports);
  Object.assign(s.administrations, { created: admins.created, gone: admins.gone, renamed: admins.renamed });
  s.exactCalls += admins.exactCalls;
  s.dataverseWrites += admins.writes;
  for (const admin of admins.active) {
    try {
      const layouts = await syncLayouts(ports, admin);
      const relations = await syncRelations(ports, admin, layouts.layouts);
      add(s, admin.name, layouts, relations);
    } catch (err) {
      // One administration's fault (a revoked division, a throttled API) does not stop the others.
      if (!(err instanceof IntegrationError)) throw err;
      s.failed.push({ administration: admin.name, reason: err.reason, transient: err.transient });
    }
  }
  return s;
}

/** Dynamics accounts are the same for every administration of the tenant: read once per sync, when needed. */
function accountsReadOnce(records: MasterDataRecords): MasterDataRecords {
  let accounts: Promise<DynamicsAccount[]> | null = null;
  return {
    administrations: () => records.administrations(),
    layouts: (id) => records.layouts(id),
    relations: (id) => records.relations(id),
    relation: (id) => records.relation(id),
    accounts: () => (accounts ??= records.accounts()),
    save: (writes) => records.save(writes),
  };
}

function add(
  s: SyncSummary,
  administration: string,
  l: Awaited<ReturnType<typeof syncLayouts>>,
  r: Awaited<ReturnType<typeof syncRelations>>,
): void {
  s.layouts.created += l.created;
  s.layouts.updated += l.updated;
  s.layouts.gone += l.gone;
  const rel = s.relations;
  rel.created += r.created;
  rel.updated += r.updated;
  rel.gone += r.gone;
  for (const rule of Object.keys(rel.linkedBy) as MatchRule[]) rel.linkedBy[rule] += r.linkedBy[rule];
  rel.newlyLinked += r.newlyLinked;
  rel.unlinked.push(...r.unlinked.map((u) => ({ ...u, administration })));
  rel.writtenBack += r.writtenBack;
  rel.conflicts.push(...r.conflicts);
  rel.writeBackFailed.push(...r.writeBackFailed);
  s.layoutMigration.migrated += l.migrated + r.migrated;
  s.layoutMigration.unmigrated.push(...l.unmigrated, ...r.unmigrated);
  s.exactCalls += l.exactCalls + r.exactCalls;
  s.dataverseWrites += l.writes + r.writes;
}
