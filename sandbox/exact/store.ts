/**
 * In-memory business data of the sandbox: users, divisions with their accounts, layouts and invoices,
 * and the print outbox. GUIDs are kept lower-case because Exact returns them so and compares them
 * case-insensitively.
 */
import type {
  ExactSeed,
  ExactSeedAccount,
  ExactSeedLayout,
  ExactSeedUser,
  PrintRecord,
  SandboxInvoice,
} from './types';

export interface Division {
  division: number;
  name: string;
  mailbox: boolean;
  peppol: boolean;
  accounts: Map<string, ExactSeedAccount & { ID: string; Status: 'C' | 'P' | 'S' | 'A' }>;
  layouts: Map<string, ExactSeedLayout>;
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

export class Store {
  users: User[] = [];
  divisions = new Map<number, Division>();
  outbox: PrintRecord[] = [];

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
      const div: Division = {
        division: d.division,
        name: d.name,
        mailbox: d.mailbox ?? true,
        peppol: d.peppol ?? true,
        accounts: new Map(),
        layouts: new Map(),
        invoices: new Map(),
        lastInvoiceNumber: 0,
      };
      for (const a of d.accounts)
        div.accounts.set(guid(a.ID), { ...a, ID: guid(a.ID), Status: a.Status ?? 'C' });
      for (const l of d.layouts) div.layouts.set(guid(l.ID), { ...l, ID: guid(l.ID) });
      for (const i of d.invoices) {
        const inv: SandboxInvoice = {
          InvoiceID: guid(i.InvoiceID),
          Division: d.division,
          InvoiceTo: guid(i.InvoiceTo),
          OrderedBy: guid(i.OrderedBy ?? i.InvoiceTo),
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
      }
      this.divisions.set(d.division, div);
    }
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
