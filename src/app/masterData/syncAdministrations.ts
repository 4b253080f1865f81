import type { ExactDivision } from './ports';
import { changedFields, isEmpty } from './diff';
import type { MasterDataPorts } from './types';
import type { MirroredAdministration, MirrorWrite } from './records';

export interface AdministrationsSynced {
  /** The administrations Exact still has, as mirrored after this sync. */
  active: MirroredAdministration[];
  created: string[];
  gone: string[];
  renamed: string[];
  writes: number;
  exactCalls: number;
}

/**
 * PRODUCT.md §11: administrations from the divisions the Exact user granted. A new one is created switched
 * off (`eol_printinvoices` = no); a vanished one is marked gone, never deleted; names follow Exact.
 */
export async function syncAdministrations(ports: MasterDataPorts): Promise<AdministrationsSynced> {
  const divisions = await ports.exact.divisions();
  const rows = await ports.records.administrations();
  const byDivision = new Map(rows.map((r) => [r.division, r]));
  const out: AdministrationsSynced = {
    active: [],
    created: [],
    gone: [],
    renamed: [],
    writes: 0,
    exactCalls: 1,
  };
  const writes: MirrorWrite[] = [];
  for (const d of divisions) {
    const row = byDivision.get(d.division);
    if (!row) {
      const created = newAdministration(ports.newId(), d);
      const { id, ...fields } = created;
      writes.push({ table: 'administration', id, create: true, fields });
      out.created.push(d.name);
      out.active.push(created);
      continue;
    }
    const fields = changedFields(row, { name: d.name, state: 'active' });
    if (fields.name !== undefined) out.renamed.push(d.name);
    if (!isEmpty(fields)) writes.push({ table: 'administration', id: row.id, create: false, fields });
    out.active.push({ ...row, ...fields });
  }
  const granted = new Set(divisions.map((d) => d.division));
  for (const row of rows) {
    if (granted.has(row.division) || row.state === 'gone') continue;
    writes.push({ table: 'administration', id: row.id, create: false, fields: { state: 'gone' } });
    out.gone.push(row.name);
  }
  if (writes.length > 0) await ports.records.save(writes);
  out.writes = writes.length;
  return out;
}

function newAdministration(id: string, d: ExactDivision): MirroredAdministration {
  return {
    id,
    division: d.division,
    name: d.name,
    printInvoices: false,
    state: 'active',
    accountCursor: null,
    defaultLayoutId: null,
    defaultEmailLayoutId: null,
    legacyDefaultLayout: null,
    legacyDefaultEmailLayout: null,
  };
}
