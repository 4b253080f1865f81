import { changedFields, isEmpty } from './diff';
import { byExactLayoutId, migrateLayout } from './layoutMigration';
import type { ExactLayout } from './ports';
import type {
  AdministrationFields,
  LayoutFields,
  MirroredAdministration,
  MirroredLayout,
  MirrorWrite,
} from './records';
import type { MasterDataPorts } from './types';

export interface LayoutsSynced {
  /** Every mirrored layout of the administration after this sync (gone ones too). */
  layouts: MirroredLayout[];
  created: number;
  updated: number;
  gone: number;
  /** Retired GUID text values moved to their lookup / left because no layout has that GUID. */
  migrated: number;
  unmigrated: string[];
  writes: number;
  exactCalls: number;
}

/**
 * PRODUCT.md §11 / decision 0071: the administration's layouts mirrored into `eol_layout`, compared before
 * written; a layout Exact no longer lists is marked gone (the lookups to it survive, the decision blocks on
 * it). Then the administration's default layouts typed as GUID text move to the lookups.
 */
export async function syncLayouts(
  ports: MasterDataPorts,
  admin: MirroredAdministration,
): Promise<LayoutsSynced> {
  const listed = await ports.exact.layouts(admin.division);
  const rows = await ports.records.layouts(admin.id);
  const byExact = byExactLayoutId(rows);
  const out: LayoutsSynced = {
    layouts: [],
    created: 0,
    updated: 0,
    gone: 0,
    migrated: 0,
    unmigrated: [],
    writes: 0,
    // `salesinvoice/Layouts` and `general/Layouts`, one page each (60 layouts; decision 0071).
    exactCalls: 2,
  };
  const writes: MirrorWrite[] = [];
  const seen = new Set<string>();
  for (const l of listed) {
    const desired = layoutFields(admin.id, l);
    const row = byExact.get(desired.exactId);
    seen.add(desired.exactId);
    const id = row?.id ?? ports.newId();
    const fields = changedFields(row, desired);
    if (!isEmpty(fields)) writes.push({ table: 'layout', id, create: !row, fields });
    if (!isEmpty(fields)) out[row ? 'updated' : 'created']++;
    out.layouts.push({ ...(row ?? { id, ...desired }), ...fields });
  }
  for (const row of rows) {
    if (seen.has(row.exactId)) continue;
    if (row.state !== 'gone') {
      writes.push({ table: 'layout', id: row.id, create: false, fields: { state: 'gone' } });
      out.gone++;
    }
    out.layouts.push({ ...row, state: 'gone' });
  }
  const migration = migrateDefaults(admin, byExactLayoutId(out.layouts), out);
  if (!isEmpty(migration))
    writes.push({ table: 'administration', id: admin.id, create: false, fields: migration });
  if (writes.length > 0) await ports.records.save(writes);
  out.writes = writes.length;
  return out;
}

function layoutFields(administrationId: string, l: ExactLayout): LayoutFields {
  return {
    administrationId,
    exactId: l.id.toLowerCase(),
    name: l.name,
    type: l.type,
    language: l.language,
    state: 'active',
    inactive: l.inactive,
  };
}

function migrateDefaults(
  admin: MirroredAdministration,
  byExact: ReadonlyMap<string, MirroredLayout>,
  out: LayoutsSynced,
): Partial<AdministrationFields> {
  const fields: Partial<AdministrationFields> = {};
  const doc = migrateLayout(admin.defaultLayoutId, admin.legacyDefaultLayout, byExact);
  const mail = migrateLayout(admin.defaultEmailLayoutId, admin.legacyDefaultEmailLayout, byExact);
  if (doc.kind === 'migrate')
    Object.assign(fields, { defaultLayoutId: doc.layoutId, legacyDefaultLayout: null });
  if (mail.kind === 'migrate')
    Object.assign(fields, { defaultEmailLayoutId: mail.layoutId, legacyDefaultEmailLayout: null });
  for (const m of [doc, mail]) {
    if (m.kind === 'migrate') out.migrated++;
    if (m.kind === 'unknown') out.unmigrated.push(`${admin.name}: ${m.guid}`);
  }
  return changedFields(admin, fields);
}
