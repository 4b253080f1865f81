/**
 * Services started by a test, apart from the connector, standing in for a partner's real Dataverse and Exact
 * (issue 19 item 4), and a `local.settings.json` in a temporary working directory that names them.
 */
import '../../src/local/quietTestMode';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startExactSandbox, type ExactSandbox } from '../../sandbox/exact';
import { startDataverseSandbox, type DataverseSandbox } from '../../sandbox/dataverse';
import { DEMO_ORGANIZATION_ID, DEMO_PEPPOL_NETWORK, dataverseSeed, exactSeed } from '../../sandbox/seed/demo';
import { peppolSettings, startPeppolSandbox, type PeppolSandbox } from '../../sandbox/peppol';
import { generateLicenceKeyPair, issueLicence } from '../../src/cli/licence';
import { createLogger } from '../../src/composition/log';

export const EXACT_USER = 'aaaaaaaa-0000-4000-8000-000000000001';
export const WEBHOOK_SECRET = 'partner-webhook-secret';

export interface PartnerServices {
  exact: ExactSandbox;
  dataverse: DataverseSandbox;
  /** The Peppol network (SML DNS and SMP) the partner's settings name. */
  peppol: PeppolSandbox;
  /** A loopback port that was free a moment ago: the connector's, so the redirect URI can be registered. */
  port: number;
  licencePublicKey: string;
  licence: string;
  stop(): Promise<void>;
}

/**
 * A free port for a host that binds it only later (after the demo's services started). Taken below Linux's
 * ephemeral range (32768–60999): a port there, freed again, can be handed to any socket the stack opens
 * meanwhile (Azurite, a sandbox, an outgoing connection) — CI saw `PORT … is in use` that way. Ports below
 * it are only taken by explicit binds.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = net.createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}

/** An Exact and a Dataverse seeded with the demo's data, started as a partner's services would be: apart. */
export async function startPartnerServices(today: Date): Promise<PartnerServices> {
  const port = await freePort();
  const seed = exactSeed(today);
  const exact = await startExactSandbox({
    clientId: 'partner-exact-client',
    clientSecret: 'partner-exact-secret',
    redirectUri: [`http://127.0.0.1:${port}/api/exact/callback`],
    seed: {
      users: [{ UserID: EXACT_USER, UserName: 'partner', divisions: seed.divisions.map((d) => d.division) }],
      divisions: seed.divisions,
    },
  });
  const dataverse = await startDataverseSandbox({
    organizationId: DEMO_ORGANIZATION_ID,
    clientId: '44444444-4444-4444-8444-444444444444',
    clientSecret: 'partner-dataverse-secret',
    languageCode: 1033,
  });
  dataverse.seed(dataverseSeed(today));
  const peppol = await startPeppolSandbox({ participants: DEMO_PEPPOL_NETWORK });
  const vendor = await generateLicenceKeyPair();
  const licence = await issueLicence(
    {
      organizationId: DEMO_ORGANIZATION_ID,
      features: ['sales', 'recurring'],
      expiresAt: new Date(today.getTime() + 365 * 86_400_000),
      notBefore: new Date(today.getTime() - 30 * 86_400_000),
      issuedAt: new Date(today.getTime() - 86_400_000),
      licenceId: 'partner-test',
    },
    vendor.privateKeyPem,
  );
  return {
    exact,
    dataverse,
    peppol,
    port,
    licencePublicKey: vendor.publicKeyPem,
    licence,
    stop: async () => {
      await exact.close();
      await dataverse.close();
      await peppol.close();
    },
  };
}

/** The Core Tools file a partner writes: every setting of tenant `acme`, naming the given services. */
export function partnerValues(s: PartnerServices, storage: string): Record<string, string> {
  const p = 'Tenants__acme__';
  return {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    Mode: 'azure',
    Storage__ConnectionString: storage,
    LicencePublicKey: s.licencePublicKey,
    TokenEncryptionKey: randomBytes(32).toString('base64'),
    ...peppolSettings(s.peppol),
    [`${p}OrganizationId`]: DEMO_ORGANIZATION_ID,
    [`${p}DataverseUrl`]: s.dataverse.url,
    [`${p}Authority`]: s.dataverse.authority,
    [`${p}ClientId`]: '44444444-4444-4444-8444-444444444444',
    [`${p}ClientSecret`]: 'partner-dataverse-secret',
    [`${p}WebhookSecret`]: WEBHOOK_SECRET,
    [`${p}Licence`]: s.licence,
    [`${p}ExactBaseUrl`]: s.exact.url,
    [`${p}ExactClientId`]: 'partner-exact-client',
    [`${p}ExactClientSecret`]: 'partner-exact-secret',
    [`${p}ExactRedirectUri`]: `http://127.0.0.1:${s.port}/api/exact/callback`,
    [`${p}ExtraCaPem`]: s.dataverse.caCertPem,
  };
}

export function writeLocalSettings(values: Record<string, string>, localHttpPort = 7071): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autoinvoice-local-'));
  fs.writeFileSync(
    path.join(dir, 'local.settings.json'),
    JSON.stringify({ IsEncrypted: false, Values: values, Host: { LocalHttpPort: localHttpPort } }, null, 2),
  );
  return dir;
}

/** A logger that keeps the lines (for leak scans) instead of printing them. */
export function quietLog(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger((_level, line) => lines.push(line), 'debug') };
}
