import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EOL_TABLES, EXTENDED_TABLES, OPTION_SETS } from '../../../src/adapters/dataverse/vocabulary';

/** docs/DATAVERSE-SCHEMA.md documents every provisioned column, in its own table's section. */
const doc = readFileSync(join(__dirname, '../../../docs/DATAVERSE-SCHEMA.md'), 'utf8');

function section(table: string): string {
  const start = doc.indexOf(`## \`${table}\``);
  if (start < 0) return '';
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

describe('the schema page', () => {
  test.each([...EOL_TABLES, ...EXTENDED_TABLES].map((t) => [t.name, t] as const))(
    'when the vocabulary of %s is compared with docs/DATAVERSE-SCHEMA.md, then every provisioned column has its row',
    (_name, table) => {
      const text = section(table.name);
      const missing = Object.entries(table.columns)
        .filter(([, c]) => c.kind !== 'system')
        .map(([column]) => column)
        .filter((column) => !text.includes(`| \`${column}\``));
      expect(missing).toEqual([]);
    },
  );

  test('when the global choices are compared with the page, then each is listed with all of its values', () => {
    for (const set of Object.values(OPTION_SETS)) {
      const choices = doc.slice(doc.indexOf('## Global choices'));
      const row = choices.split('\n').find((l) => l.startsWith(`| \`${set.name}\``)) ?? '';
      for (const o of set.options) expect(row).toContain(`${o.value} ${o.label}`);
    }
  });
});
