/**
 * Without settings that name a tenant, `npm start` stays the demo of PRODUCT.md §10: its own Azurite, Exact
 * sandbox and Dataverse sandboxes, seeded, every row of §4 dispatched; and --dry-run over the same demo
 * decides without printing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocal, type RunningLocal } from '../../src/local/start';
import { freePort, quietLog } from './support';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'autoinvoice-demo-'));

async function demo(dryRun: boolean): Promise<{ local: RunningLocal; out: string[] }> {
  const out: string[] = [];
  const env = { PORT: String(await freePort()), Storage__ConnectionString: 'UseDevelopmentStorage=true' };
  const local = await startLocal({ cwd, env, out: (l) => out.push(l), dryRun, log: quietLog().log });
  return { local, out };
}

/** The reason codes of PRODUCT.md §4's table (the decision), which the demo shows one by one. */
const SECTION_4_REASONS = [
  'licence_missing',
  'licence_invalid',
  'licence_wrong_tenant',
  'licence_expired',
  'licence_feature_missing',
  'administration_unknown',
  'administration_disabled',
  'invoice_not_open',
  'invoice_opted_out',
  'source_disabled',
  'relation_unknown',
  'relation_disabled',
  'relation_prints_itself',
  'channel_disabled',
  'email_missing',
  'email_invalid',
  'peppol_id_missing',
  'no_channel',
  'layout_missing',
];

const count = (local: RunningLocal, outcome: string) =>
  local.printer.lines.filter((l) => l.outcome === outcome).length;

describe('npm start without settings', () => {
  test('when neither local.settings.json nor the environment names a tenant, then the demo starts its own services and dispatches all 58 demo invoices', async () => {
    const { local, out } = await demo(false);
    try {
      expect(local.mode).toBe('demo');
      expect(local.started.map((s) => s.replace(/ \(.*\)$/, ''))).toEqual([
        'Azurite',
        'Exact sandbox',
        'Dataverse sandbox for demo',
        'Dataverse sandbox for nolicence',
        'Dataverse sandbox for forged',
        'Dataverse sandbox for foreign',
        'Dataverse sandbox for expired',
        'Dataverse sandbox for salesonly',
      ]);
      expect(out[0]).toBe(
        'AutoInvoice — local mode: starting Azurite, the Exact Online and Dataverse sandboxes …',
      );
      expect(out).toContain(`Console:            ${local.url}/api/console`);
      // Issue 14 item 7: connected, synced, and the sync summary printed before the first invoice is dispatched.
      const report = out.findIndex((l) => l.startsWith('Master data from Exact (demo):\n'));
      const header = out.findIndex((l) => l.startsWith('tenant     outcome'));
      expect(report).toBeGreaterThan(-1);
      expect(report).toBeLessThan(header);
      expect(local.printer.lines.length).toBeGreaterThan(0);
      expect(out.slice(0, header).some((l) => /^\S+ +(sent|ignored|failed|scheduled) /.test(l))).toBe(false);
      const summary = out[report]!.split('\n');
      expect(summary).toContain('  administrations: 1 new (switched off): Nieuwe Vestiging BV, 0 gone');
      expect(summary.find((l) => l.startsWith('  relations: '))).toMatch(
        /^ {2}relations: \d+ new, \d+ updated, 0 gone; linked by existing link [1-9]\d*, KvK [1-9]\d*, VAT [1-9]\d*, name [1-9]\d*; [1-9]\d* unlinked$/,
      );
      expect(summary.some((l) => /^ {2}layouts: [1-9]\d* new, /.test(l))).toBe(true);
      expect(summary.some((l) => l.startsWith('    unlinked '))).toBe(true);
      // The line the README's Quick start shows.
      expect(out).toContain(
        '\nSummary: 58 invoices — 22 sent, 20 ignored, 2 scheduled, 6 failed, 2 printList, 1 optedOut, 4 mailing, 1 review',
      );
      // Every invoice Exact sent by email or Peppol names exactly the recipients the Exact sandbox recorded
      // for its print (a postbox message names the relation whose postbox it is).
      const stack = local.demo!;
      const sentPrints = stack.exact
        .prints()
        .filter((p) => p.sent && ['email', 'peppol'].includes(p.channel));
      expect(sentPrints.length).toBeGreaterThan(15);
      for (const p of sentPrints) {
        const line = local.printer.lines.find((l) => l.invoiceId === p.invoiceId.toLowerCase())!;
        const named = [
          ...line.message.matchAll(/(?:sent it to|stuurde hem naar) (?:Peppol id |Peppol-id )?([^\s(]+)/g),
        ].map((m) => m[1]!.replace(/\.$/, ''));
        expect({ invoice: line.invoice, named }).toEqual({ invoice: line.invoice, named: p.recipients });
      }
      // Issue 14 item 7: the showcase keeps every reason code of PRODUCT.md §4's table.
      const reasons = new Set(local.printer.lines.map((l) => l.reason));
      expect(SECTION_4_REASONS.filter((r) => !reasons.has(r))).toEqual([]);
      expect([
        count(local, 'sent'),
        count(local, 'ignored'),
        count(local, 'failed'),
        count(local, 'scheduled'),
        count(local, 'printList'),
      ]).toEqual([22, 20, 6, 2, 2]);
    } finally {
      await local.stop();
    }
  }, 120_000);

  test('when the demo runs with --dry-run, then the same invoices are decided and none is printed', async () => {
    const { local, out } = await demo(true);
    try {
      expect(local.demo!.exact.prints()).toHaveLength(0);
      expect(out).toContain(
        'Dry run: every open invoice is decided; nothing is printed in Exact or written to Dataverse or the ledger.\n',
      );
      expect(count(local, 'sent') + count(local, 'failed')).toBeGreaterThan(10);
      // A forecast never says "sent": nothing went out. It says what would happen.
      const forecast = local.printer.lines.filter((l) => l.outcome === 'sent' || l.outcome === 'printList');
      expect(forecast.length).toBeGreaterThan(10);
      expect(forecast.filter((l) => !/^(Ready|Klaar): /.test(l.message))).toEqual([]);
      // The open invoices of the enabled administrations: the real run's 58 less the 2 of the switched-off
      // administration, the row without one, the draft and the processed invoice; Postbox Kapot BV forecast sent
      // (only Exact's print finds its missing postbox).
      // Printed as a forecast (decision 0146): "would be sent", never "sent"; the lines keep the machine value.
      expect(out).toContain(
        '\nForecast: 53 invoices — 27 would be sent, 15 would be ignored, 2 would be scheduled, 5 would fail, ' +
          '2 would go on print list, 1 would stay (opted out), 1 would wait for review',
      );
      expect(out.filter((l) => /^\S+ +(sent|failed|ignored) /.test(l))).toEqual([]);
      expect(out.filter((l) => /^\S+ +would be sent +/.test(l))).toHaveLength(27);
    } finally {
      await local.stop();
    }
  }, 120_000);
});
