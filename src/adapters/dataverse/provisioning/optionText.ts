/**
 * The Dutch labels of the eol_ choices' options (solution/columnText.ts DUTCH_OPTIONS), added with
 * UpdateOptionValue and MergeLabels: the schema step keeps comparing the English label only, so the two
 * never undo each other. An option the environment does not hold (status 8 before PRODUCT.md §12) is left
 * alone; options are read again when the change is applied (a fresh environment creates them first).
 */
import { DUTCH_OPTIONS } from '../solution/columnText';
import { EOL_TABLES, OPTION_SETS } from '../vocabulary';
import { labelBody, LANG } from '../solution/labels';
import type { MetadataApi } from './metadataApi';
import type { Change } from './plan';

type Option = { Value: number; Label?: unknown };
type Target = { optionSet: string } | { entity: string; attribute: string };

const inLanguage = (label: unknown, lang: number): unknown =>
  (
    label as { LocalizedLabels?: Array<{ Label?: unknown; LanguageCode?: unknown }> } | null
  )?.LocalizedLabels?.find((l) => l.LanguageCode === lang)?.Label ?? null;

function missing(options: readonly Option[], dutch: Readonly<Record<number, string>>): Option[] {
  return options.filter(
    (o) => dutch[o.Value] !== undefined && inLanguage(o.Label, LANG.nl) !== dutch[o.Value],
  );
}

/** The option values the vocabulary defines (the schema step creates those that are missing). */
function vocabularyValues(target: Target): number[] {
  if ('optionSet' in target)
    return (OPTION_SETS[target.optionSet as keyof typeof OPTION_SETS]?.options ?? []).map((o) => o.value);
  const col = EOL_TABLES.find((t) => t.name === target.entity)?.columns[target.attribute];
  return col && col.kind === 'choice' ? (col.options ?? []).map((o) => o.value) : [];
}

async function optionsOf(api: MetadataApi, target: Target): Promise<Option[] | null> {
  if ('optionSet' in target) return (await api.globalOptionSet(target.optionSet))?.Options ?? null;
  if (!(await api.entity(target.entity))) return null;
  const columns = await api.choiceColumns(target.entity, 'PicklistAttributeMetadata');
  return columns.find((c) => c.LogicalName === target.attribute)?.OptionSet?.Options ?? null;
}

export async function planOptionText(api: MetadataApi): Promise<Change[]> {
  const changes: Change[] = [];
  for (const [key, dutch] of Object.entries(DUTCH_OPTIONS)) {
    const [entity, attribute] = key.split('.');
    const target: Target = attribute ? { entity: entity!, attribute } : { optionSet: key };
    const have = await optionsOf(api, target);
    const absent = vocabularyValues(target).some(
      (v) => dutch[v] !== undefined && !have?.some((o) => o.Value === v),
    );
    if (have && !absent && missing(have, dutch).length === 0) continue;
    changes.push({
      action: 'update',
      what: `choice ${key}`,
      detail: 'Dutch labels',
      publishes: attribute ? { entity } : { optionSet: key },
      apply: async () => {
        for (const o of missing((await optionsOf(api, target)) ?? [], dutch)) {
          const english = inLanguage(o.Label, LANG.en);
          if (typeof english !== 'string') continue;
          await api.optionValue(
            'UpdateOptionValue',
            target,
            o.Value,
            labelBody({ en: english, nl: dutch[o.Value]! }),
          );
        }
      },
    });
  }
  return changes;
}
