/**
 * Ports of the master-data mirror (issue 14, PRODUCT.md §11): what the connector reads from and writes to
 * Exact's divisions, layouts and customer accounts. Decisions 0070 and 0071 record the endpoints chosen.
 * The Dataverse side of the mirror has its own port next to the use case that needs it.
 */
import type { Language } from '../../domain/types';

/** A division the connected Exact user can reach (`system/Divisions`). */
export interface ExactDivision {
  division: number;
  name: string;
}

/** A layout a print accepts (`salesinvoice/Layouts`), its language from `general/Layouts` when readable. */
export interface ExactLayout {
  /** Exact's layout GUID, lower case. */
  id: string;
  name: string;
  type: 'document' | 'email';
  language: Language | null;
  /** `general/Layouts.Status` 1 (inactive); false when unknown. */
  inactive: boolean;
}

/**
 * One Exact account (`sync/CRM/Accounts` or `crm/Accounts`), the fields PRODUCT.md §11 mirrors.
 * GUIDs lower case; blank strings read as null.
 */
export interface ExactAccount {
  id: string;
  name: string;
  /** `Status` = 'C'. */
  customer: boolean;
  blocked: boolean;
  /** `Email`: the account's one e-mail address as Exact holds it (may be junk: it is checked by the decision). */
  email: string | null;
  /** `InvoicingMethod` (1 paper, 2 email, 4 postbox, 8 send and track, 32 Peppol); null when not set. */
  invoicingMethod: number | null;
  /** `scheme:value` built from `PeppolIdentifier` and `PeppolIdentifierType` (mapping in the adapter). */
  peppolId: string | null;
  /** `ChamberOfCommerce` (KvK). */
  kvk: string | null;
  vatNumber: string | null;
  /** `OINNumber`. */
  oin: string | null;
  /** Exact `Language` code as given (e.g. 'NL', 'EN'). */
  language: string | null;
  /** `InvoiceAccount`: the account invoiced instead of this one. */
  invoiceAccount: string | null;
  mainContact: string | null;
  /** `Modified`, as an ISO instant (Exact sends local time without a zone; the adapter converts). */
  modified: string | null;
}

/** The accounts changed since a cursor, and the cursor to continue from (a decimal `Timestamp`, never a JS number). */
export interface AccountChanges {
  accounts: ExactAccount[];
  cursor: string;
  /** Exact calls this read spent (pages). */
  calls: number;
}

/** A contact person (`crm/Contacts`). */
export interface ExactContact {
  id: string;
  account: string;
  email: string | null;
  name: string | null;
}

/** Fields the connector writes to Exact's account; only the ones present are sent (PUT, 204). */
export interface AccountEdit {
  email?: string | null;
  invoicingMethod?: number | null;
  peppolId?: string | null;
}

/** Errors are IntegrationError subclasses (src/app/errors.ts), as for ExactGateway. */
export interface ExactMasterData {
  /** Divisions the connected user can reach. */
  divisions(): Promise<ExactDivision[]>;
  /** Every layout of the division (one or two calls). */
  layouts(division: number): Promise<ExactLayout[]>;
  /** `sync/CRM/Accounts?$filter=Timestamp gt {cursor}L`, all pages (1000 each); cursor '1' reads everything. */
  accountChanges(division: number, cursor: string): Promise<AccountChanges>;
  /** `crm/Accounts` for the given ids, ≤ 60 per call; absent ids: not found. */
  accounts(division: number, ids: readonly string[]): Promise<Map<string, ExactAccount>>;
  /** `crm/Contacts` for the given ids, ≤ 60 per call; absent ids: not found. */
  contacts(division: number, ids: readonly string[]): Promise<Map<string, ExactContact>>;
  /** PUT `crm/Accounts(guid'…')` with only the edited fields. */
  updateAccount(division: number, accountId: string, edit: AccountEdit): Promise<void>;
}
