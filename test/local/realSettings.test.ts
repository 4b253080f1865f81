/**
 * Issue 19 item 4 / PRODUCT.md §10: `npm start` with a local.settings.json that names a Dataverse, an Exact and
 * a storage account talks to them and starts none of its own. Here sandboxes and Azurite started by the test
 * stand in for a partner's real services; the start-up is the one `npm start` runs (src/local/start.ts).
 */
import axios from 'axios';
import { useAzurite } from '../support/azurite';
import { startLocal, type RunningLocal } from '../../src/local/start';
import {
  EXACT_USER,
  partnerValues,
  quietLog,
  startPartnerServices,
  writeLocalSettings,
  type PartnerServices,
} from './support';

const today = new Date();
const azurite = useAzurite();
let services: PartnerServices;
let cwd: string;
const captured = quietLog();

beforeAll(async () => {
  services = await startPartnerServices(today);
  cwd = writeLocalSettings(partnerValues(services, azurite.connectionString));
}, 60_000);
afterAll(async () => {
  await services?.stop();
});

async function start(dryRun = false): Promise<{ local: RunningLocal; out: string[] }> {
  const out: string[] = [];
  const local = await startLocal({
    cwd,
    env: { PORT: String(services.port) },
    out: (l) => out.push(l),
    dryRun,
    log: captured.log,
  });
  return { local, out };
}

const invoiceRows = () => services.dataverse.rows('eol_salesinvoices');

describe('npm start with a local.settings.json naming every service', () => {
  test('when the tenant is not yet connected to Exact, then start-up starts nothing, prints the connect URL, and the URL connects it', async () => {
    const { local, out } = await start();
    try {
      expect(local.mode).toBe('settings');
      expect(local.started).toEqual([]);
      expect(out).toContain('Started:            nothing: every service is the one the settings name');
      const tenant = local.runtime.settings.Tenants.acme!;
      expect([tenant.DataverseUrl, tenant.Authority, tenant.ExactBaseUrl]).toEqual([
        services.dataverse.url,
        services.dataverse.authority,
        services.exact.url,
      ]);
      expect(local.runtime.settings.Storage__ConnectionString).toBe(azurite.connectionString);
      const connect = `${local.url}/api/exact/connect?tenant=acme`;
      expect(out).toContain(`Exact not connected for acme: open ${connect}`);
      // Not connected: nothing was swept, nothing printed, no row written (no demo seeding of configured services).
      expect(services.exact.prints()).toHaveLength(0);
      expect(out.some((l) => l.trimStart().startsWith('Summary: 0 invoices'))).toBe(true);

      // The partner opens the URL: the connector's connect function → Exact's consent → the connector's callback.
      const toExact = await axios.get(connect, { maxRedirects: 0, validateStatus: (s) => s === 302 });
      expect(String(toExact.headers.location).startsWith(services.exact.url)).toBe(true);
      const consent = await axios.get(`${toExact.headers.location}&sandbox_user=${EXACT_USER}`, {
        maxRedirects: 0,
        validateStatus: (s) => s === 302,
      });
      // The browser brings back the consent cookie the connect function set.
      const cookie = String(toExact.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
      const back = await axios.get(String(consent.headers.location), { headers: { cookie } });
      expect(back.data).toMatchObject({ connected: true, tenant: 'acme' });
    } finally {
      await local.stop();
    }
  }, 120_000);

  test('when it runs with --dry-run, then every open invoice is decided and reported, and nothing is printed in Exact or written to Dataverse or the ledger', async () => {
    const rowsBefore = JSON.stringify(invoiceRows());
    const dvBefore = services.dataverse.requests().length;
    const { local, out } = await start(true);
    try {
      expect(local.started).toEqual([]);
      expect(out.some((l) => l.startsWith('Exact not connected'))).toBe(false);
      const openInExact = services.exact.requests().filter((r) => /SalesInvoices/i.test(r.path));
      expect(openInExact.length).toBeGreaterThan(0);
      const lines = local.printer.lines;
      expect(lines.length).toBeGreaterThan(10);
      expect(lines.filter((l) => l.outcome === 'sent').length).toBeGreaterThan(0);
      expect(out.some((l) => l.trimStart().startsWith(`Forecast: ${lines.length} invoices`))).toBe(true);
      expect(services.exact.prints()).toHaveLength(0);
      expect(JSON.stringify(invoiceRows())).toBe(rowsBefore);
      const dvCalls = services.dataverse.requests().slice(dvBefore);
      expect(dvCalls.length).toBeGreaterThan(0);
      const writes = dvCalls
        .filter((r) => r.path.startsWith('/api/data/'))
        .filter((r) =>
          r.path.endsWith('$batch')
            ? (r.body as Array<{ method: string }>).some((inner) => inner.method !== 'GET')
            : r.method !== 'GET',
        );
      expect(writes).toEqual([]);
      for (const l of lines) {
        expect(
          await local.runtime.ledger.get({ tenantId: 'acme', division: l.division!, invoiceId: l.invoiceId }),
        ).toBeNull();
      }
      dryRunLines = new Map(lines.map((l) => [l.invoiceId, `${l.outcome}:${l.reason}`]));
    } finally {
      await local.stop();
    }
  }, 120_000);

  test('when it starts again, then it reuses the stored Exact tokens and dispatches through the services named, as the dry run said', async () => {
    const exactBefore = services.exact.requests().length;
    const dvBefore = services.dataverse.requests().length;
    const { local, out } = await start();
    try {
      expect(local.started).toEqual([]);
      expect(out.some((l) => l.startsWith('Exact not connected'))).toBe(false);
      expect(services.exact.requests().length).toBeGreaterThan(exactBefore);
      expect(services.dataverse.requests().length).toBeGreaterThan(dvBefore);
      expect(services.exact.prints().length).toBeGreaterThan(0);
      const lines = local.printer.lines;
      expect(out.some((l) => l.trimStart().startsWith(`Summary: ${lines.length} invoices`))).toBe(true);
      // The dry run said what happened, except what only Exact's print can tell (a channel it fails at print
      // time) and when Dynamics 365 reports an email it was handed sent.
      const real = new Map(lines.map((l) => [l.invoiceId, `${l.outcome}:${l.reason}`]));
      const foreseen: Record<string, string> = {
        'failed:exact_channel_error': 'sent:sent',
        'mailing:email_pending': 'sent:sent',
      };
      const foreseeable = new Map([...real].map(([id, v]) => [id, foreseen[v] ?? v]));
      expect([...real.values()].filter((v) => v === 'failed:exact_channel_error')).toHaveLength(1);
      expect(foreseeable).toEqual(dryRunLines);
      realLines = real;
      // No secret of the services named reaches the log.
      const secrets = [
        ...services.exact.issuedSecrets(),
        ...services.dataverse.issuedSecrets(),
        'partner-webhook-secret',
      ];
      const logged = [...captured.lines, ...out].join('\n');
      expect(secrets.filter((s) => logged.includes(s))).toEqual([]);
    } finally {
      await local.stop();
    }
  }, 120_000);

  test('when a dry run follows the real run, then invoices that failed before printing answer their stored outcome and nothing Exact processed is offered again', async () => {
    const printsBefore = services.exact.prints().length;
    const { local } = await start(true);
    try {
      const again = new Map(local.printer.lines.map((l) => [l.invoiceId, `${l.outcome}:${l.reason}`]));
      // Failed before printing: still open in Exact, and a failure waits for a person (Resend): the stored outcome.
      const failed = [...realLines].filter(
        ([, v]) => v.startsWith('failed:') && v !== 'failed:exact_channel_error',
      );
      expect(failed.length).toBeGreaterThan(3);
      for (const [id, v] of failed) expect(again.get(id)).toBe(v);
      // What Exact processed (sent, on the print list, or printed with a failed channel) is no longer open.
      const processed = [...realLines].filter(
        ([, v]) =>
          v === 'sent:sent' ||
          v.startsWith('printList:') ||
          v.startsWith('mailing:') ||
          v.startsWith('review:') ||
          v === 'failed:exact_channel_error',
      );
      expect(processed.length).toBeGreaterThan(10);
      for (const [id] of processed) expect(again.has(id)).toBe(false);
      expect(services.exact.prints()).toHaveLength(printsBefore);
    } finally {
      await local.stop();
    }
  }, 120_000);
});

let dryRunLines: Map<string, string> = new Map();
let realLines: Map<string, string> = new Map();
