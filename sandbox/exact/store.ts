/**
 * In-memory business data of the sandbox: users, divisions with their accounts, layouts and invoices,
 * and the print outbox. GUIDs are kept lower-case because Exact returns them so and compares them
 * case-insensitively.
 */
import type {
  ExactSeed,
  ExactSeedContact,
  ExactSeedDivision,
  ExactSeedInvoice,
  ExactSeedLayout,
  ExactSeedUser,
  PrintRecord,
  SandboxAccount,
  SandboxDocument,
  SandboxInvoice,
  WebhookAction,
  WebhookTopic,
} from './types';

export interface Division {
  division: number;
  name: string;
  mailbox: boolean;
  peppol: boolean;
  accounts: Map<string, SandboxAccount>;
  contacts: Map<string, ExactSeedContact>;
  layouts: Map<string, ExactSeedLayout>;
  /** The division's rowversion counter: the last Timestamp handed out. */
  timestamp: bigint;
  invoices: Map<string, SandboxInvoice>;
  lastInvoiceNumber: number;
}

export interface User extends Required<Omit<ExactSeedUser, 'divisions'>> {
  divisions: number[] | null;
}

export const DEFAULT_USER: ExactSeedUser = {
  UserID: '0b6c5f8e-5a3c-4d7e-9f10-5a2b3c4d5e6f',
  UserName: 'sandbox.user',
  FullName: 'Sandbox User',
  Email: 'sandbox.user@example.test',
  LanguageCode: 'nl-NL',
};

export const guid = (s: string): string => s.trim().toLowerCase();
const ref = (s: string | null | undefined): string | null => (s ? guid(s) : null);

/**
 * Where every division's rowversion starts [choice]: beyond 2^53, as an 8-byte SQL Server rowversion of a
 * busy database is, so a client that holds a Timestamp in a JS number loses it.
 */
export const TIMESTAMP_START = 2n ** 53n + 1000n;

/** Gives the account the next rowversion of its division and the current time as Modified. */
export function touch(div: Division, account: SandboxAccount, now: number): void {
  div.timestamp += 1n;
  account.Timestamp = div.timestamp;
  account.Modified = now;
}

export class Store {
  users: User[] = [];
  divisions = new Map<number, Division>();
  outbox: PrintRecord[] = [];
  /**
   * Called when a sales invoice or account is created or changed after the seed (server.ts points it at
   * webhooks.ts, which raises the topic's webhooks; no contact changes yet). The seed itself calls nothing.
   */
  onChange: (division: number, topic: WebhookTopic, key: string, action: WebhookAction) => void = () =>
    undefined;
  /** One document per print, by its ID (documents.ts). */
  documents = new Map<string, SandboxDocument>();

  load(seed: ExactSeed, now: number): void {
    const users = seed.users?.length ? seed.users : [DEFAULT_USER];
    this.users = users.map((u) => ({
      UserID: guid(u.UserID),
      UserName: u.UserName ?? u.UserID,
      FullName: u.FullName ?? u.UserName ?? u.UserID,
      Email: u.Email ?? `${u.UserName ?? 'user'}@example.test`,
      LanguageCode: u.LanguageCode ?? 'nl-NL',
      divisions: u.divisions ?? null,
    }));
    this.divisions = new Map();
    for (const d of seed.divisions) {
      const div = loadMasterData(d, now);
      for (const i of d.invoices) addInvoice(div, i, now);
      this.divisions.set(d.division, div);
    }
  }

  onInvoiceChange(division: number, invoiceId: string, action: WebhookAction): void {
    this.onChange(division, 'SalesInvoices', invoiceId, action);
  }

  onAccountChange(division: number, accountId: string, action: WebhookAction): void {
    this.onChange(division, 'Accounts', accountId, action);
  }

  user(id: string): User | undefined {
    return this.users.find((u) => u.UserID === guid(id) || u.UserName === id);
  }

  canAccess(user: User, division: number): boolean {
    return this.divisions.has(division) && (user.divisions === null || user.divisions.includes(division));
  }

  invoice(division: number, id: string): SandboxInvoice | undefined {
    return this.divisions.get(division)?.invoices.get(guid(id));
  }

  /** Numbers are assigned at printing, sequential per division (Exact: "assigned at entry or at printing"). */
  nextInvoiceNumber(div: Division): number {
    div.lastInvoiceNumber += 1;
    return div.lastInvoiceNumber;
  }
}

/** A seed invoice into its division (the InvoiceTo's main contact unless it names one); returns it. */
export function addInvoice(div: Division, i: ExactSeedInvoice, now: number): SandboxInvoice {
  const invoiceTo = guid(i.InvoiceTo);
  const contact =
    i.InvoiceToContactPerson !== undefined
      ? ref(i.InvoiceToContactPerson)
      : (div.accounts.get(invoiceTo)?.MainContact ?? null);
  const inv: SandboxInvoice = {
    InvoiceID: guid(i.InvoiceID),
    Division: div.division,
    InvoiceTo: invoiceTo,
    OrderedBy: guid(i.OrderedBy ?? i.InvoiceTo),
    InvoiceToContactPerson: contact,
    InvoiceDate: i.InvoiceDate,
    Status: i.Status,
    InvoiceNumber: i.InvoiceNumber ?? null,
    Type: i.Type ?? 8020,
    Description: i.Description ?? null,
    OrderNumber: i.OrderNumber ?? null,
    AmountDC: i.AmountDC ?? 0,
    Journal: i.Journal ?? '70',
    Lines: [],
    Created: now,
    Modified: now,
  };
  div.invoices.set(inv.InvoiceID, inv);
  div.lastInvoiceNumber = Math.max(div.lastInvoiceNumber, inv.InvoiceNumber ?? 0);
  return inv;
}

/** A division's accounts (each a new rowversion, in seed order), contacts and layouts. */
function loadMasterData(d: ExactSeedDivision, now: number): Division {
  const div: Division = {
    division: d.division,
    name: d.name,
    mailbox: d.mailbox ?? true,
    peppol: d.peppol ?? true,
    accounts: new Map(),
    contacts: new Map(),
    layouts: new Map(),
    invoices: new Map(),
    lastInvoiceNumber: 0,
    timestamp: TIMESTAMP_START,
  };
  for (const c of d.contacts ?? [])
    div.contacts.set(guid(c.ID), { ...c, ID: guid(c.ID), Account: guid(c.Account) });
  for (const a of d.accounts) {
    const account: SandboxAccount = {
      ...a,
      ID: guid(a.ID),
      Status: a.Status ?? 'C',
      InvoiceAccount: ref(a.InvoiceAccount),
      MainContact: ref(a.MainContact),
      Created: now,
      Modified: now,
      Timestamp: 0n,
    };
    touch(div, account, now);
    div.accounts.set(account.ID, account);
  }
  for (const l of d.layouts) div.layouts.set(guid(l.ID), { ...l, ID: guid(l.ID) });
  return div;
}
