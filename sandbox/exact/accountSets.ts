/**
 * Wire shapes of the master-data sets: `crm/Accounts`, `sync/CRM/Accounts`, `crm/Contacts` and
 * `general/Layouts` (field names and texts from PS `Entity/{CRM,Sync/CRM,General}/*.php`, PQ `Account.php`,
 * `Contact.php`, `Layout.php`; decision 0071).
 */
import type { EntitySet } from './odata';
import { padCode } from './entities';
import { nullable } from './filterTypes';
import { zoneOffsetMs } from '../../src/domain/timing';
import type { Division } from './store';
import type { ExactSeedContact, ExactSeedLayout, SandboxAccount } from './types';

/**
 * `Modified`/`Created` as Exact sends them: Dutch local time written as if it were UTC (AB `streams.py`
 * converts CET/CEST) **[choice: which dates carry the shift; only the account sets do here]**.
 */
export function amsterdamWallClock(utcMs: number): number {
  return utcMs + zoneOffsetMs(utcMs, 'Europe/Amsterdam');
}

const SAMPLE_ACCOUNT: SandboxAccount = {
  ID: '',
  Name: '',
  Status: 'C',
  Created: 0,
  Modified: 0,
  Timestamp: 0n,
};

function accountFields(div: Division, a: SandboxAccount) {
  return {
    ID: a.ID,
    Blocked: a.Blocked ?? false,
    ChamberOfCommerce: a.ChamberOfCommerce ?? null,
    Code: padCode(a.Code ?? ''),
    Created: amsterdamWallClock(a.Created),
    Division: div.division,
    Email: a.Email ?? null,
    InvoiceAccount: a.InvoiceAccount ?? null,
    InvoicingMethod: a.InvoicingMethod ?? null,
    IsSales: a.Status === 'C', // [choice 20]
    Language: a.Language ?? null,
    MainContact: a.MainContact ?? null,
    Modified: amsterdamWallClock(a.Modified),
    Name: a.Name,
    OINNumber: a.OINNumber ?? null,
    PeppolIdentifier: a.PeppolIdentifier ?? null,
    PeppolIdentifierType: a.PeppolIdentifierType ?? null,
    Status: a.Status,
    VATNumber: a.VATNumber ?? null,
  };
}

const ACCOUNT_TYPES = {
  InvoicingMethod: nullable('System.Int32'),
  PeppolIdentifierType: nullable('System.Int32'),
  InvoiceAccount: nullable('System.Guid'),
  MainContact: nullable('System.Guid'),
};

export function accountSet(base: string, div: Division): EntitySet<SandboxAccount> {
  return {
    type: 'Exact.Web.Api.Models.Account',
    key: 'ID',
    dateFields: ['Created', 'Modified'],
    uri: (k) => `${base}/api/v1/${div.division}/crm/Accounts(guid'${k}')`,
    sample: SAMPLE_ACCOUNT,
    keyOf: (a) => a.ID,
    types: ACCOUNT_TYPES,
    fields: (a) => accountFields(div, a),
  };
}

/** `sync/CRM/Accounts`: the same fields plus `Timestamp`, an Int64 that OData v2 JSON writes as a string. */
export function syncAccountSet(base: string, div: Division): EntitySet<SandboxAccount> {
  return {
    ...accountSet(base, div),
    type: 'Exact.Web.Api.Models.Sync.CRM.Account',
    uri: (k) => `${base}/api/v1/${div.division}/sync/CRM/Accounts(guid'${k}')`,
    types: { ...ACCOUNT_TYPES, Timestamp: 'System.Int64' },
    fields: (a) => ({ Timestamp: a.Timestamp.toString(), ...accountFields(div, a) }),
  };
}

/** `IsMainContact` ("Indicates if this is the main contact of the linked account") follows the account. */
export function contactSet(base: string, div: Division): EntitySet<ExactSeedContact> {
  return {
    type: 'Exact.Web.Api.Models.CRM.Contact',
    key: 'ID',
    uri: (k) => `${base}/api/v1/${div.division}/crm/Contacts(guid'${k}')`,
    sample: { ID: '', Account: '' },
    keyOf: (c) => c.ID,
    types: { Account: nullable('System.Guid') },
    fields: (c) => ({
      ID: c.ID,
      Account: c.Account,
      BusinessEmail: c.BusinessEmail ?? null,
      Division: div.division,
      Email: c.Email ?? null,
      FullName: c.FullName ?? null,
      IsMainContact: div.accounts.get(c.Account)?.MainContact === c.ID,
    }),
  };
}

/**
 * `general/Layouts`: every seeded layout under Category 0 (SalesInvoice), e-mail text layouts included
 * **[choice: whether Exact lists e-mail text layouts there is unknown, 0071]**.
 */
export function generalLayoutSet(base: string, div: Division): EntitySet<ExactSeedLayout> {
  return {
    type: 'Exact.Web.Api.Models.General.Layout',
    key: 'ID',
    uri: (k) => `${base}/api/v1/${div.division}/general/Layouts(guid'${k}')`,
    sample: { ID: '', Subject: '', Type: 1 },
    types: { Category: 'System.Int32', Status: 'System.Int16' },
    fields: (l) => ({
      ID: l.ID,
      Category: 0,
      CategoryName: 'Sales invoice',
      Division: div.division,
      Language: l.Language ?? null,
      Status: l.Status ?? 2,
      Subject: l.Subject,
      Type: l.Type,
    }),
  };
}
