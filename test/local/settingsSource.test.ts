/**
 * Where `npm start` takes its settings from (decision 0066): local.settings.json in Core Tools' format and the
 * environment, parsed by the same parseSettings as in Azure. A bad setting stops start-up by name, never by value.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useAzurite } from '../support/azurite';
import { startLocal } from '../../src/local/start';
import { readSettingsSource } from '../../src/local/settingsSource';
import { tenantServices } from '../../src/local/configuredStack';
import {
  freePort,
  partnerValues,
  quietLog,
  startPartnerServices,
  writeLocalSettings,
  type PartnerServices,
} from './support';

const azurite = useAzurite();
let services: PartnerServices;
beforeAll(async () => {
  services = await startPartnerServices(new Date());
}, 60_000);
afterAll(async () => {
  await services?.stop();
});

async function startIn(cwd: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const run = startLocal({
    cwd,
    env: { PORT: String(await freePort()), ...env },
    out: (l) => out.push(l),
    log: quietLog().log,
  });
  return { run, out };
}

function dirWithFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autoinvoice-local-'));
  fs.writeFileSync(path.join(dir, 'local.settings.json'), text);
  return dir;
}

describe('settings of npm start', () => {
  test('when a setting in local.settings.json is invalid, then start-up stops naming it, never its value, and starts nothing', async () => {
    const values = partnerValues(services, azurite.connectionString);
    const { run, out } = await startIn(
      writeLocalSettings({
        ...values,
        Tenants__acme__DataverseUrl: 'no-url-s3cr3t-value',
        Tenants__acme__WebhookSecret: 'x7Kq2Lm',
      }),
    );
    const err = (await run.catch((e: Error) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('Tenants__acme__DataverseUrl');
    expect(err.message).toContain('Tenants__acme__WebhookSecret');
    expect(err.message).not.toContain('s3cr3t');
    expect(err.message).not.toContain('x7Kq2Lm');
    expect(out.filter((l) => l.startsWith('Started:') || l.startsWith('Connector:'))).toEqual([]);
  });

  test('when a required setting is missing, then start-up names it as missing', async () => {
    const { TokenEncryptionKey: _dropped, ...values } = partnerValues(services, azurite.connectionString);
    const { run } = await startIn(writeLocalSettings(values));
    await expect(run).rejects.toThrow(/TokenEncryptionKey: is missing/);
  });

  test('when local.settings.json is not valid JSON, then start-up says so without quoting its text', async () => {
    const { run } = await startIn(
      dirWithFile('{ "Values": { "Tenants__acme__ClientSecret": "hunter2-secret", } '),
    );
    const err = (await run.catch((e: Error) => e)) as Error;
    expect(err.message).toBe('local.settings.json: is not valid JSON');
  });

  test('when local.settings.json is encrypted, then start-up refuses it by the IsEncrypted field', async () => {
    const { run } = await startIn(
      dirWithFile(JSON.stringify({ IsEncrypted: true, Values: { Tenants__acme__ClientId: 'x' } })),
    );
    await expect(run).rejects.toThrow(/^local\.settings\.json: IsEncrypted: must be false/);
  });

  test('when both the environment and the file give a setting, then the environment wins, as with Core Tools', () => {
    const cwd = writeLocalSettings({ Tenants__acme__ClientId: 'from-file', DispatchLeaseMs: '60000' });
    const source = readSettingsSource(cwd, { Tenants__acme__ClientId: 'from-env', UNRELATED: undefined });
    expect(source.values).toMatchObject({ Tenants__acme__ClientId: 'from-env', DispatchLeaseMs: '60000' });
    expect(source.file).toBe(path.join(cwd, 'local.settings.json'));
    expect(source.namesTenant).toBe(true);
    expect(source.localHttpPort).toBe(7071);
  });

  test('when neither the file nor the environment names a tenant, then npm start runs the demo', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'autoinvoice-local-'));
    expect(
      readSettingsSource(empty, { PORT: '7100', Storage__ConnectionString: 'UseDevelopmentStorage=true' }),
    ).toMatchObject({ file: null, namesTenant: false });
    expect(readSettingsSource(writeLocalSettings({ Tenants__acme__ClientId: '' }), {}).namesTenant).toBe(
      false,
    );
    expect(readSettingsSource(empty, { Tenants__acme__OrganizationId: 'x' }).namesTenant).toBe(true);
  });

  test('when a tenant names its Exact but not its Dataverse, then only a Dataverse sandbox is needed for it', () => {
    expect(
      tenantServices({
        Tenants__a__ExactClientId: 'c',
        Tenants__a__WebhookSecret: 'w',
        Tenants__b__DataverseUrl: 'https://b.crm4.dynamics.com/',
        Tenants__my_co__Authority: 'x',
      }),
    ).toEqual([
      { tenant: 'a', dataverse: 'sandbox', exact: 'configured' },
      { tenant: 'b', dataverse: 'configured', exact: 'sandbox' },
      { tenant: 'my_co', dataverse: 'configured', exact: 'sandbox' },
    ]);
  });

  test('when the settings leave out a Dataverse and the storage, then start-up starts a Dataverse sandbox and Azurite, says so, and uses the Exact named', async () => {
    const values = partnerValues(services, '');
    for (const k of ['DataverseUrl', 'Authority', 'ExtraCaPem', 'ClientId', 'ClientSecret'])
      delete values[`Tenants__acme__${k}`];
    delete values.Storage__ConnectionString;
    const { run, out } = await startIn(writeLocalSettings(values));
    const local = await run;
    try {
      expect(local.started.map((s) => s.replace(/ \(.*\)$/, ''))).toEqual([
        'Azurite',
        'Dataverse sandbox for acme',
      ]);
      expect(out).toContain('Tenant acme:        Dataverse a sandbox (not configured), Exact as configured');
      expect(out.filter((l) => l.startsWith('Started:'))).toHaveLength(2);
      const tenant = local.runtime.settings.Tenants.acme!;
      expect(tenant.ExactBaseUrl).toBe(services.exact.url);
      expect(tenant.DataverseUrl).not.toBe(services.dataverse.url);
      expect(local.runtime.settings.Storage__ConnectionString).not.toBe(azurite.connectionString);
      // The started Dataverse is empty: no demo data is seeded next to a configured Exact.
      expect(out.some((l) => l.trimStart().startsWith('Summary: 0 invoices'))).toBe(true);
    } finally {
      await local.stop();
    }
  }, 90_000);

  test('when the settings leave out the Exact, then an Exact sandbox is started and connected without a person, and nothing is written to the Dataverse named', async () => {
    const values = partnerValues(services, azurite.connectionString);
    for (const k of ['ExactBaseUrl', 'ExactClientId', 'ExactClientSecret', 'ExactRedirectUri'])
      delete values[`Tenants__acme__${k}`];
    const partnerExactBefore = services.exact.requests().length;
    const dvBefore = services.dataverse.requests().length;
    // No PORT: the host listens where the file's Host.LocalHttpPort says, as `func start` does.
    const port = await freePort();
    const out: string[] = [];
    const local = await startLocal({
      cwd: writeLocalSettings(values, port),
      env: {},
      out: (l) => out.push(l),
      log: quietLog().log,
    });
    try {
      expect(local.url).toBe(`http://127.0.0.1:${port}`);
      expect(local.started.map((s) => s.replace(/ \(.*\)$/, ''))).toEqual(['Exact sandbox for acme']);
      expect(out).toContain('Tenant acme:        Dataverse as configured, Exact a sandbox (not configured)');
      expect(out.some((l) => l.startsWith('Exact not connected'))).toBe(false);
      expect(await local.runtime.tenants[0]!.connection.isConnected()).toBe(true);
      // The empty Exact has an empty division per administration: the sweep ran and found nothing to send.
      expect(out.some((l) => l.trimStart().startsWith('Summary: 0 invoices'))).toBe(true);
      expect(services.exact.requests().length).toBe(partnerExactBefore);
      const dvCalls = services.dataverse
        .requests()
        .slice(dvBefore)
        .filter((r) => r.path.startsWith('/api/data/'));
      expect(dvCalls.length).toBeGreaterThan(0);
      expect(dvCalls.filter((r) => r.method !== 'GET')).toEqual([]);
    } finally {
      await local.stop();
    }
  }, 90_000);
});
