import type { MirroredLayout } from './records';

/**
 * Decision 0075: a layout typed as a GUID in a retired text column moves to the lookup once the layout is
 * mirrored: the lookup is set and the text cleared in one write, so a second sync finds nothing to do. A GUID
 * no mirrored layout has stays in the text column (still read by the decision) and is reported.
 */
export type LayoutMigration =
  { kind: 'none' } | { kind: 'migrate'; layoutId: string } | { kind: 'unknown'; guid: string };

export function migrateLayout(
  lookup: string | null,
  legacyText: string | null,
  byExactId: ReadonlyMap<string, MirroredLayout>,
): LayoutMigration {
  const guid = legacyText?.trim().toLowerCase();
  if (!guid) return { kind: 'none' };
  // A lookup already set wins (it is what the decision reads); the stale text is cleared.
  if (lookup) return { kind: 'migrate', layoutId: lookup };
  const found = byExactId.get(guid);
  return found ? { kind: 'migrate', layoutId: found.id } : { kind: 'unknown', guid };
}

export const byExactLayoutId = (layouts: readonly MirroredLayout[]): Map<string, MirroredLayout> =>
  new Map(layouts.map((l) => [l.exactId.toLowerCase(), l]));
