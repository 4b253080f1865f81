/** Wiring of the master-data adapter against the Exact sandbox: a consented token, compressed waits. */
import { startExactSandbox, type ExactSandbox, type ExactSeed } from '../../../sandbox/exact';
import { createExactMasterData, type ExactMasterDataClient } from '../../../src/adapters/exact/masterData';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';
import type { ExactTokenProvider } from '../../../src/adapters/exact/tokenStore';

export const DIV = 101;
export const NO_FEATURES_DIV = 202;
export const accountId = (n: number): string => `11111111-0000-0000-0000-${String(n).padStart(12, '0')}`;
export const contactId = (n: number): string => `44444444-0000-0000-0000-${String(n).padStart(12, '0')}`;
export const LAYOUT = {
  nl: '22222222-0000-0000-0000-000000000001',
  en: '22222222-0000-0000-0000-000000000002',
};
export const EMAIL_LAYOUT = '22222222-0000-0000-0000-000000000003';
export const OLD_LAYOUT = '22222222-0000-0000-0000-000000000004';

/** `accounts` customers 1…n (every seventh a prospect), one richly filled account 1, contacts of account 1. */
export function masterSeed(accounts: number): ExactSeed {
  return {
    divisions: [
      {
        division: DIV,
        name: 'Bakkerij Test BV',
        accounts: Array.from({ length: accounts }, (_, i) =>
          i === 0
            ? {
                ID: accountId(1),
                Name: 'Café De Hoek',
                Email: 'factuur@hoek.test',
                InvoicingMethod: 2,
                PeppolIdentifier: '12345678',
                PeppolIdentifierType: 2,
                ChamberOfCommerce: '12345678',
                VATNumber: 'NL001234567B01',
                OINNumber: '',
                Language: 'NL',
                InvoiceAccount: accountId(2),
                MainContact: contactId(1),
              }
            : {
                ID: accountId(i + 1),
                Name: `Klant ${i + 1}`,
                Email: `klant${i + 1}@example.test`,
                ...((i + 1) % 7 === 0 && { Status: 'P' as const }),
              },
        ),
        contacts: [
          { ID: contactId(1), Account: accountId(1), Email: 'eigenaar@hoek.test', FullName: 'J. de Hoek' },
          {
            ID: contactId(2),
            Account: accountId(1),
            Email: '',
            BusinessEmail: 'b@hoek.test',
            FullName: 'P. Inkoop',
          },
        ],
        layouts: [
          { ID: LAYOUT.nl, Subject: 'Factuur NL', Type: 1, Language: 'NL' },
          { ID: LAYOUT.en, Subject: 'Invoice EN', Type: 1, Language: 'EN' },
          { ID: EMAIL_LAYOUT, Subject: 'E-mail NL', Type: 2, Language: 'NL' },
          { ID: OLD_LAYOUT, Subject: 'Oud', Type: 1, Status: 1 },
        ],
        invoices: [],
      },
      {
        division: NO_FEATURES_DIV,
        name: 'Zuster BV',
        mailbox: false,
        peppol: false,
        accounts: [{ ID: accountId(1), Name: 'Zuster klant' }],
        layouts: [],
        invoices: [],
      },
    ],
  };
}

export async function startMasterData(seed: ExactSeed): Promise<{
  sb: ExactSandbox;
  client: (opts?: { granted?: number[] | null }) => Promise<ExactMasterDataClient>;
}> {
  const sb = await startExactSandbox({ seed });
  const sleep = async (ms: number) => sb.clock.advance(ms);
  return {
    sb,
    client: async (opts = {}) => {
      const { accessToken } = await sb.authorize();
      const tokens: ExactTokenProvider = {
        getAccessToken: async () => accessToken,
        grantedDivisions: async () => (opts.granted === undefined ? [DIV, NO_FEATURES_DIV] : opts.granted),
      };
      return createExactMasterData({
        baseUrl: sb.url,
        connectionId: 'tenant-1',
        tokens,
        governor: createRateGovernor({ sleep, clock: { now: () => new Date(sb.clock.now()) } }),
        clock: { now: () => new Date(sb.clock.now()) },
        sleep,
        random: () => 0,
      });
    },
  };
}

/** The sandbox's requests to one endpoint (path contains `part`), in order. */
export const callsTo = (sb: ExactSandbox, part: string) =>
  sb.requests().filter((r) => r.path.toLowerCase().includes(part.toLowerCase()));
