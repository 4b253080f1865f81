import { LOOKUP_TYPES, type Column, type TableView } from './columns';
import type { Row } from './model';

/**
 * `Prefer: odata.include-annotations="…"` (PAD webapi/query-data-web-api "Formatted values" and
 * "Lookup property data"): `<col>@OData.Community.Display.V1.FormattedValue` for choices, yes/no,
 * whole numbers, dates and lookups, and for lookups `@Microsoft.Dynamics.CRM.lookuplogicalname` and
 * `@Microsoft.Dynamics.CRM.associatednavigationproperty`. Formatting is en-US and dates are shown in
 * UTC **[choice: Dataverse uses the calling user's language and time zone settings]**.
 */
const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const LOGICAL = 'Microsoft.Dynamics.CRM.lookuplogicalname';
const NAV = 'Microsoft.Dynamics.CRM.associatednavigationproperty';

export interface AnnotationRequest {
  /** The header value to echo in Preference-Applied, e.g. `odata.include-annotations="*"`. */
  applied: string;
  wants: (annotation: string) => boolean;
}

export function annotationsPreferred(prefer: string | undefined): AnnotationRequest | null {
  const m = /odata\.include-annotations="?([^",;]+(?:,[^",;]+)*)"?/.exec(prefer ?? '');
  if (!m) return null;
  const patterns = m[1]!.split(',').map((p) => p.trim());
  const wants = (annotation: string): boolean =>
    patterns.some(
      (p) => p === '*' || p === annotation || (p.endsWith('.*') && annotation.startsWith(p.slice(0, -1))),
    );
  return { applied: `odata.include-annotations="${m[1]}"`, wants };
}

/** Adds the wanted annotations next to every value in `out` (a projected row). */
export function annotate(
  view: TableView,
  out: Row,
  req: AnnotationRequest,
  lookupName: (target: string, id: string) => string | null,
  lookupTarget: (col: Column, id: string) => string,
): void {
  for (const [name, value] of Object.entries(out)) {
    if (value === null || value === undefined || name.includes('@')) continue;
    const lookup = /^_(\w+)_value$/.exec(name);
    const col = view.columns.get(lookup ? lookup[1]! : name);
    if (!col) continue;
    if (lookup && LOOKUP_TYPES.has(col.type)) {
      const target = lookupTarget(col, String(value));
      if (req.wants(FORMATTED)) {
        const shown = lookupName(target, String(value));
        if (shown !== null) out[`${name}@${FORMATTED}`] = shown;
      }
      if (req.wants(NAV))
        out[`${name}@${NAV}`] = col.targets && col.targets.length > 1 ? `${col.name}_${target}` : col.name;
      if (req.wants(LOGICAL)) out[`${name}@${LOGICAL}`] = target;
      continue;
    }
    const shown = formatted(col, value);
    if (shown !== null && req.wants(FORMATTED)) out[`${name}@${FORMATTED}`] = shown;
  }
}

function formatted(col: Column, value: unknown): string | null {
  switch (col.type) {
    case 'Picklist':
    case 'State':
    case 'Status':
      return col.options?.get(Number(value)) ?? null;
    case 'Virtual':
      return String(value)
        .split(',')
        .map((v) => col.options?.get(Number(v)) ?? v)
        .join('; ');
    case 'Boolean':
      return col.booleanLabels ? col.booleanLabels[value ? 1 : 0] : value ? 'Yes' : 'No';
    case 'Integer':
      return typeof value === 'number' ? value.toLocaleString('en-US') : null;
    case 'DateTime': {
      const d = new Date(String(value).length === 10 ? `${String(value)}T00:00:00Z` : String(value));
      if (Number.isNaN(d.getTime())) return null;
      const date = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
      if (col.dateOnly) return date;
      const h = d.getUTCHours();
      return `${date} ${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
    }
    default:
      return null;
  }
}
