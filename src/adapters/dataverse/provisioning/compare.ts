import { englishLabel, label, metadataType } from './bodies';
import type { AttributeRead, MetadataApi, PicklistRead } from './metadataApi';
import type { Change, Conflict } from './plan';
import type { ColumnSpec, OptionSpec, TableSpec } from './schema';

/** How an existing column or option set is brought to the schema's definition (used by planSchema). */

/** What differs in a way provisioning changes; customers' stricter requirement levels and longer texts stay. */
export function compareColumn(
  api: MetadataApi,
  table: TableSpec,
  col: ColumnSpec,
  actual: AttributeRead,
  choice: PicklistRead | undefined,
  changes: Change[],
  conflicts: Conflict[],
): void {
  const what = `column ${table.name}.${col.name}`;
  const type = actual['@odata.type'].replace(/^#?Microsoft\.Dynamics\.CRM\./, '');
  if (type !== metadataType(col)) {
    conflicts.push({
      what,
      why: `it is a ${type}, the connector needs a ${metadataType(col)} (a column's type cannot be changed)`,
    });
    return;
  }
  const a = actual as Record<string, unknown>;
  const diffs: string[] = [];
  const set: Record<string, unknown> = {};
  if (englishLabel(actual.DisplayName) !== col.label) {
    diffs.push(`label → '${col.label}'`);
    set.DisplayName = label(col.label);
  }
  if (col.kind === 'lookup' && (actual.RequiredLevel?.Value === 'ApplicationRequired') !== col.required) {
    diffs.push(col.required ? 'required' : 'optional');
    set.RequiredLevel = {
      ...(actual.RequiredLevel ?? {}),
      Value: col.required ? 'ApplicationRequired' : 'None',
    };
  }
  if ((col.kind === 'text' || col.kind === 'memo') && Number(a.MaxLength ?? 0) < col.maxLength) {
    diffs.push(`max length ${String(a.MaxLength)} → ${col.maxLength}`);
    set.MaxLength = col.maxLength;
  }
  if (col.kind === 'integer' && (a.MinValue !== col.min || a.MaxValue !== col.max)) {
    diffs.push(`range ${String(a.MinValue)}..${String(a.MaxValue)} → ${col.min}..${col.max}`);
    Object.assign(set, { MinValue: col.min, MaxValue: col.max });
  }
  if (col.kind === 'boolean' && a.DefaultValue !== col.default) {
    diffs.push(`default → ${col.default ? 'yes' : 'no'}`);
    set.DefaultValue = col.default;
  }
  if (col.kind === 'choice' && Number(a.DefaultFormValue ?? -1) !== (col.default ?? -1)) {
    diffs.push(`default → ${col.default ?? 'none'}`);
    set.DefaultFormValue = col.default ?? -1;
  }
  if (
    col.kind === 'datetime' &&
    (a.Format !== (col.dateOnly ? 'DateOnly' : 'DateAndTime') ||
      (a.DateTimeBehavior as { Value?: unknown } | undefined)?.Value !==
        (col.dateOnly ? 'DateOnly' : 'UserLocal'))
  ) {
    conflicts.push({
      what,
      why: `it has format ${String(a.Format)}, the connector needs ${col.dateOnly ? 'date only' : 'date and time (user local)'}`,
    });
  }
  if (diffs.length > 0) {
    const body = { ...strip(a), ...set, '@odata.type': `Microsoft.Dynamics.CRM.${type}` };
    changes.push({
      action: 'update',
      what,
      detail: diffs.join(', '),
      publishes: { entity: table.name },
      apply: () => api.updateAttribute(table.name, body),
    });
  }
  if (col.kind === 'choice' || col.kind === 'choices') {
    const global = col.globalOptionSet;
    const boundTo =
      choice?.GlobalOptionSet?.Name ?? (choice?.OptionSet?.IsGlobal ? choice.OptionSet.Name : null);
    if (global && boundTo !== global) {
      conflicts.push({
        what,
        why: `it uses ${boundTo ? `choice ${boundTo}` : 'its own options'}, the connector needs choice ${global}`,
      });
    } else if (!global && col.kind === 'choice') {
      changes.push(
        ...optionChanges(
          api,
          what,
          { entity: table.name, attribute: col.name },
          col.options ?? [],
          choice?.OptionSet?.Options ?? [],
          { entity: table.name },
        ),
      );
    }
  }
}

export function optionChanges(
  api: MetadataApi,
  what: string,
  target: { optionSet: string } | { entity: string; attribute: string },
  wanted: readonly OptionSpec[],
  actual: ReadonlyArray<{ Value: number; Label?: unknown }>,
  publishes: Change['publishes'],
): Change[] {
  const out: Change[] = [];
  for (const o of wanted) {
    const have = actual.find((x) => x.Value === o.value);
    if (!have) {
      out.push({
        action: 'create',
        what: `option ${o.value} of ${what}`,
        detail: o.label,
        publishes,
        apply: () => api.optionValue('InsertOptionValue', target, o.value, label(o.label)),
      });
    } else if (englishLabel(have.Label) !== o.label) {
      out.push({
        action: 'update',
        what: `option ${o.value} of ${what}`,
        detail: `label → '${o.label}'`,
        publishes,
        apply: () => api.optionValue('UpdateOptionValue', target, o.value, label(o.label)),
      });
    }
  }
  return out;
}

/** A read definition without OData annotations, as the base of a PUT (which replaces the definition). */
export function strip(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('@') && !k.includes('@odata.')));
}
