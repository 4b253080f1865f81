/** Shared wiring for the Exact adapter tests that run against the sandbox and Azurite. */
import { randomBytes } from 'node:crypto';
import type { ExactSandbox, ExactSeed, ExactSeedInvoice } from '../../../sandbox/exact';
import { createTableClient } from '../../../src/adapters/store/tables';
import { createTokenStore, type TokenStore } from '../../../src/adapters/exact/tokenStore';
import type { ExactLog } from '../../../src/adapters/exact/log';
import type { Clock } from '../../../src/app/ports';

export const DIV = 101;
export const ACC = {
  email: '11111111-0000-0000-0000-000000000001',
  bare: '11111111-0000-0000-0000-000000000004',
};
export const LAYOUT = '22222222-0000-0000-0000-000000000001';
export const EMAIL_LAYOUT = '22222222-0000-0000-0000-000000000002';
export const invoiceId = (n: number): string => `33333333-0000-0000-0000-${String(n).padStart(12, '0')}`;
export const CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };

export function seed(open: number, divisions: number[] = [DIV]): ExactSeed {
  const invoices: ExactSeedInvoice[] = Array.from({ length: open }, (_, i) => ({
    InvoiceID: invoiceId(i + 1),
    InvoiceTo: ACC.email,
    InvoiceDate: '2025-03-01',
    Status: 20,
  }));
  invoices.push({
    InvoiceID: invoiceId(999_001),
    InvoiceTo: ACC.bare,
    InvoiceDate: '2025-03-01',
    Status: 20,
  });
  return {
    divisions: divisions.map((division) => ({
      division,
      name: `Division ${division}`,
      accounts: [
        { ID: ACC.email, Name: 'Jansen', Email: 'factuur@jansen.test', InvoicingMethod: 2 },
        { ID: ACC.bare, Name: 'Zonder Gegevens', Email: null },
      ],
      layouts: [
        { ID: LAYOUT, Subject: 'Factuur NL', Type: 1 },
        { ID: EMAIL_LAYOUT, Subject: 'E-mail NL', Type: 2 },
      ],
      invoices,
    })),
  };
}

export const sandboxClock = (sb: ExactSandbox): Clock => ({ now: () => new Date(sb.clock.now()) });

/** A fresh 32-byte key per test run. */
export const testKey = (): string => randomBytes(32).toString('base64');

/** Captures every log line, so tests can scan them for secrets. */
export function captureLog(): { log: ExactLog; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: (level, message, fields) => void lines.push(JSON.stringify({ level, message, ...fields })),
  };
}

let tableSeq = 0;
export function tokenStoreFor(
  sb: ExactSandbox,
  connectionString: string,
  opts: { key?: string; table?: string; log?: ExactLog } = {},
): { store: TokenStore; table: string; key: string } {
  const table = opts.table ?? `exacttokens${process.pid}x${++tableSeq}`;
  const key = opts.key ?? testKey();
  const store = createTokenStore({
    table: createTableClient(connectionString, table),
    encryptionKey: key,
    client: CLIENT,
    clock: sandboxClock(sb),
    ...(opts.log ? { log: opts.log } : {}),
  });
  return { store, table, key };
}

/** Connects `connectionId` with a fresh consent from the sandbox (the code flow without a browser). */
export async function connect(sb: ExactSandbox, store: TokenStore, connectionId: string): Promise<void> {
  const t = await sb.authorize();
  await store.save(connectionId, {
    baseUrl: sb.url,
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresInSec: 600,
  });
}

export function findSecrets(haystack: string[], secrets: string[]): string[] {
  return secrets.filter((s) => s.length >= 8 && haystack.some((h) => h.includes(s)));
}
