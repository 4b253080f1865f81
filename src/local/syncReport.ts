/**
 * The master-data sync summary `npm start` prints before it dispatches (issue 14 item 7): what came from
 * Exact — administrations, layouts, relations linked (by which rule) and unlinked (and why).
 */
import type { Connected } from '../app/connected';

export function syncReport(tenant: string, connected: Connected): string[] {
  if (!connected.sync.ok) return [`Master data ${tenant}: sync failed (${connected.sync.error})`];
  const s = connected.sync.summary;
  const r = s.relations;
  const linked = Object.entries(r.linkedBy)
    .filter(([, n]) => n > 0)
    .map(
      ([rule, n]) =>
        `${n} by ${rule === 'link' ? 'existing link' : rule === 'name' ? 'exact name' : rule.toUpperCase()}`,
    )
    .join(', ');
  const lines = [
    `Master data ${tenant}: from Exact in ${s.exactCalls} calls, ${s.dataverseWrites} rows written to Dataverse`,
    `  administrations: ${s.administrations.created.length} new (switched off)${list(s.administrations.created)}, ${s.administrations.gone.length} gone`,
    `  layouts:         ${s.layouts.created} new, ${s.layouts.updated} updated, ${s.layouts.gone} gone`,
    `  relations:       ${r.created} new, ${r.updated} updated, ${r.gone} gone; linked ${linked || 'none'}; ${r.unlinked.length} unlinked`,
  ];
  for (const u of r.unlinked) {
    const why =
      u.why === 'several'
        ? `several Dynamics accounts match (${u.ambiguous.join(', ')})`
        : 'no Dynamics account matches';
    lines.push(`    unlinked: ${u.name} (${u.administration}): ${why}`);
  }
  if (r.writtenBack > 0) lines.push(`  written to Exact: ${r.writtenBack} relation edits`);
  for (const c of r.conflicts) lines.push(`  conflict: ${c}`);
  return lines;
}

const list = (names: string[]): string => (names.length > 0 ? `: ${names.join(', ')}` : '');
