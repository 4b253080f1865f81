import { dataverseSeed } from '../../../sandbox/seed/demo';
import { showcaseDataverseSeed, showcaseTenants } from '../../../sandbox/seed/showcase';
import { buildLoadSeed } from '../../../bench/support/seed';
import { EOL_TABLES, USER_OWNED, wireName, type TableDef } from '../../../src/adapters/dataverse/vocabulary';

/**
 * The seeds (demo, showcase, benchmark) write Dataverse rows in wire form. Each eol_ column they set is
 * one the vocabulary defines — and so one provisioning creates — with a value its wire schema accepts,
 * so `npm start` and the benchmarks cannot run on a column a real environment would not have.
 */
const TODAY = new Date('2026-05-12T08:00:00Z');

function problems(seed: Record<string, Array<Record<string, unknown>>>): string[] {
  const out: string[] = [];
  for (const [set, rows] of Object.entries(seed)) {
    const table: TableDef | undefined = EOL_TABLES.find((t) => t.entitySet === set);
    if (!table) continue;
    const byWire = new Map(Object.keys(table.columns).map((c) => [wireName(table, c), c]));
    for (const row of rows) {
      for (const [key, value] of Object.entries(row)) {
        if (key === table.primaryId) continue;
        const column = byWire.get(key);
        if (!column) {
          out.push(`${set}.${key}: not a column of ${table.name}`);
          continue;
        }
        if (column in USER_OWNED) continue;
        const parsed = table.columns[column]!.wire.safeParse(value);
        if (!parsed.success) out.push(`${set}.${key}: ${JSON.stringify(value)} is refused`);
      }
    }
  }
  return [...new Set(out)];
}

describe('the seeds write only provisioned eol_ columns', () => {
  test('when the demo seed is checked, then every eol_ column and value is one the vocabulary defines', () => {
    const seed = dataverseSeed(TODAY);
    expect(seed.eol_salesinvoices.length).toBeGreaterThan(0);
    expect(problems(seed)).toEqual([]);
  });

  test.each(showcaseTenants.map((t) => [t.name, t] as const))(
    'when the showcase seed of %s is checked, then every eol_ column and value is one the vocabulary defines',
    (_name, tenant) => {
      expect(problems(showcaseDataverseSeed(tenant, TODAY))).toEqual([]);
    },
  );

  test('when the benchmark seed is checked, then every eol_ column and value is one the vocabulary defines', () => {
    const seed = buildLoadSeed({
      divisions: 2,
      invoicesPerDivision: 10,
      rowShare: 0.5,
      today: TODAY,
      policyMix: true,
    });
    expect(problems(seed.dataverse)).toEqual([]);
  });

  test('when a seed sets a column the vocabulary lacks or a value outside a choice, then the check names it', () => {
    expect(
      problems({
        eol_salesinvoices: [
          { eol_salesinvoiceid: 'x', eol_nothere: 1, eol_dispatchstatus: 10, _eol_relationid_value: null },
        ],
      }),
    ).toEqual([
      'eol_salesinvoices.eol_nothere: not a column of eol_salesinvoice',
      'eol_salesinvoices.eol_dispatchstatus: 10 is refused',
    ]);
  });
});
