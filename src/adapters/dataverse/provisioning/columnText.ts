/**
 * The Dutch labels and the help text (Description, shown with the column on a form) of the eol_ columns
 * (solution/columnText.ts). The schema step keeps the English label; this step adds the Dutch one and the
 * help in both languages with MSCRM.MergeLabels, so the two never undo each other. A column that does not
 * exist yet (a fresh environment) is read again when the change is applied, after the schema created it.
 * The columns added to system tables (`contact.eol_invoicerecipient`) get theirs the same way.
 */
import { EOL_TABLES, EXTENDED_TABLES, type TableDef } from '../vocabulary';
import { DUTCH_LABELS, DUTCH_TABLES, HELP } from '../solution/columnText';
import { labelBody, LANG, type Labels } from '../solution/labels';
import { strip } from './compare';
import type { AttributeRead, MetadataApi } from './metadataApi';
import type { Change } from './plan';

type LabelRead = { LocalizedLabels?: Array<{ Label?: unknown; LanguageCode?: unknown }> } | null | undefined;

const inLanguage = (l: LabelRead, lang: number) =>
  l?.LocalizedLabels?.find((x) => x.LanguageCode === lang)?.Label ?? null;

interface Wanted {
  column: string;
  dutch: string | null;
  help: Labels | null;
}

/** An `eol_` table, or a system table the connector adds columns to (`contact.eol_invoicerecipient`). */
type Labelled = Pick<TableDef, 'name' | 'columns'> &
  Partial<Pick<TableDef, 'label' | 'pluralLabel' | 'description'>>;

function wanted(table: Labelled): Wanted[] {
  return Object.entries(table.columns)
    .filter(([, def]) => def.kind !== 'system')
    .map(([column]) => ({ column, dutch: DUTCH_LABELS[column] ?? null, help: HELP[column] ?? null }))
    .filter((w) => w.dutch !== null || w.help !== null);
}

function differs(a: AttributeRead | undefined, w: Wanted): string[] {
  const out: string[] = [];
  if (w.dutch && inLanguage(a?.DisplayName as LabelRead, LANG.nl) !== w.dutch) out.push('Dutch label');
  const d = (a as { Description?: LabelRead } | undefined)?.Description;
  if (w.help && (inLanguage(d, LANG.en) !== w.help.en || inLanguage(d, LANG.nl) !== w.help.nl))
    out.push('help text');
  return out;
}

export async function planColumnText(
  api: MetadataApi,
  tables: readonly Labelled[] = [...EOL_TABLES, ...EXTENDED_TABLES],
): Promise<Change[]> {
  const changes: Change[] = [];
  for (const table of tables) {
    const dutch = DUTCH_TABLES[table.name];
    const entity = await api.entity(table.name);
    // A system table the environment lacks is a conflict of the schema step, not a label to add.
    if (!entity && !dutch) continue;
    const named = (l: unknown, text: string) => inLanguage(l as LabelRead, LANG.nl) === text;
    if (
      dutch &&
      (!entity ||
        !named(entity.DisplayName, dutch.label) ||
        !named(entity.DisplayCollectionName, dutch.plural) ||
        !named((entity as { Description?: unknown }).Description, dutch.description))
    )
      changes.push({
        action: 'update',
        what: `table ${table.name}`,
        detail: 'Dutch names',
        publishes: { entity: table.name },
        apply: async () => {
          const current = await api.entity(table.name);
          if (!current) return;
          await api.updateEntity({
            ...strip(current),
            DisplayName: labelBody({ en: table.label ?? table.name, nl: dutch.label }),
            DisplayCollectionName: labelBody({ en: table.pluralLabel ?? table.name, nl: dutch.plural }),
            Description: labelBody({ en: table.description ?? '', nl: dutch.description }),
          });
        },
      });
    const have = entity
      ? new Map((await api.attributes(table.name)).map((a) => [a.LogicalName, a]))
      : new Map<string, AttributeRead>();
    for (const w of wanted(table)) {
      const diffs = differs(have.get(w.column), w);
      if (diffs.length === 0) continue;
      changes.push({
        action: 'update',
        what: `column ${table.name}.${w.column}`,
        detail: diffs.join(', '),
        publishes: { entity: table.name },
        apply: async () => {
          const current = (await api.attributes(table.name)).find((a) => a.LogicalName === w.column);
          if (!current) return;
          const english = inLanguage(current.DisplayName as LabelRead, LANG.en);
          const body: Record<string, unknown> = { ...strip(current), '@odata.type': current['@odata.type'] };
          if (w.dutch && typeof english === 'string')
            body.DisplayName = labelBody({ en: english, nl: w.dutch });
          if (w.help) body.Description = labelBody(w.help);
          await api.updateAttribute(table.name, body);
        },
      });
    }
  }
  return changes;
}
