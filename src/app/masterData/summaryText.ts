import type { SyncSummary } from './syncTenant';

const names = (list: readonly string[]): string => (list.length ? `: ${list.join(', ')}` : '');

/** The sync summary as lines for a console or a callback page (English, like the CLI's other output). */
export function summaryLines(s: SyncSummary): string[] {
  const r = s.relations;
  const lines = [
    `administrations: ${s.administrations.created.length} new (switched off)${names(s.administrations.created)}, ` +
      `${s.administrations.gone.length} gone${names(s.administrations.gone)}`,
    `layouts: ${s.layouts.created} new, ${s.layouts.updated} updated, ${s.layouts.gone} gone`,
    `relations: ${r.created} new, ${r.updated} updated, ${r.gone} gone; linked by existing link ${r.linkedBy.link}, ` +
      `KvK ${r.linkedBy.kvk}, VAT ${r.linkedBy.vat}, name ${r.linkedBy.name}; ${r.unlinked.length} unlinked`,
    ...r.unlinked.map(
      (u) =>
        `  unlinked ${u.name} (${u.administration}): ${u.why === 'none' ? 'no matching account' : `several accounts match by ${u.ambiguous.join(', ')}`}`,
    ),
    `written to Exact: ${r.writtenBack}; conflicts: ${r.conflicts.length}${names(r.conflicts)}` +
      (r.writeBackFailed.length ? `; failed: ${r.writeBackFailed.join(', ')}` : ''),
    `Exact calls: ${s.exactCalls}; Dataverse rows written: ${s.dataverseWrites}`,
  ];
  if (s.layoutMigration.migrated || s.layoutMigration.unmigrated.length)
    lines.push(
      `layout GUIDs moved to lookups: ${s.layoutMigration.migrated}; unknown: ${s.layoutMigration.unmigrated.length}${names(s.layoutMigration.unmigrated)}`,
    );
  for (const f of s.failed)
    lines.push(`not synced: ${f.administration} (${f.reason}${f.transient ? ', will retry' : ''})`);
  return lines;
}
