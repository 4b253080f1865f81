/**
 * A load tenant: `divisions` administrations with `invoicesPerDivision` open concept invoices each, seeded
 * into the Exact and Dataverse sandboxes so they agree (as the demo seed does). A share of the invoices are
 * sales orders with an eol_salesinvoice row (Dynamics made them); the rest are recurring invoices without a
 * row, which only the sweep finds. With `policyMix`, a few relations and rows lead to every outcome kind
 * (ignored, opted out, failed) instead of all being sent.
 */
import { createHash } from 'node:crypto';
import type { ExactSeed } from '../../sandbox/exact';
import type { DataverseSeed } from '../../sandbox/dataverse';

export interface LoadSeedOptions {
  divisions: number;
  invoicesPerDivision: number;
  /** 0..1: share of invoices that have a Dataverse row (sales orders). */
  rowShare: number;
  today: Date;
  policyMix?: boolean;
  relationsPerDivision?: number;
  firstDivision?: number;
  /**
   * The first this many administrations send invoice email from Dynamics 365 (issue 15): `eol_emailroute` 2
   * and a mailbox (`queue`) of their own, whose modes cycle over send, fail and hold-then-send.
   */
  dynamicsDivisions?: number;
}

/** What the chaos run sets server-side sync to for a mailbox: always send, always fail, or hold then send. */
export type MailboxMode = 'send' | 'fail' | 'holdThenSend';
const MAILBOX_MODES: MailboxMode[] = ['send', 'fail', 'holdThenSend'];
/** Relations whose invoice goes by email, so on the Dynamics route by Dynamics 365. */
const DYNAMICS_KINDS = new Set<Kind>(['email', 'auto']);

export type Expected = 'sent' | 'printList' | 'ignored' | 'optedOut' | 'failed';

export interface LoadInvoice {
  division: number;
  administrationId: string;
  exactInvoiceId: string;
  /** The row Dynamics made; null for invoices only the sweep finds. */
  rowId: string | null;
  expected: Expected;
  /** On the Dynamics route: its administration's mailbox (address and mode); null on Exact's route. */
  mailbox: { address: string; mode: MailboxMode } | null;
}

export interface LoadSeed {
  exact: ExactSeed;
  dataverse: DataverseSeed;
  invoices: LoadInvoice[];
  divisions: Array<{ division: number; administrationId: string }>;
  /** The mailboxes of the Dynamics-route administrations. */
  mailboxes: Array<{ division: number; address: string; mode: MailboxMode }>;
}

export function loadGuid(name: string): string {
  const h = createHash('sha1').update(`autoinvoice-load:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Kind = 'email' | 'paper' | 'peppol' | 'auto' | 'disabled' | 'noEmail' | 'exactNoEmail';

/**
 * Relation kinds by index: mostly deliverable; with policyMix the first three are not — switched off, no
 * email in Dynamics, and an email in Dynamics that Exact's account lacks (Exact fails the channel at print).
 */
function kindOf(index: number, policyMix: boolean): Kind {
  if (policyMix && index === 0) return 'disabled';
  if (policyMix && index === 1) return 'noEmail';
  if (policyMix && index === 2) return 'exactNoEmail';
  return (['email', 'paper', 'peppol', 'auto'] as const)[index % 4]!;
}

export function buildLoadSeed(o: LoadSeedOptions): LoadSeed {
  const relationsPer = o.relationsPerDivision ?? 20;
  const first = o.firstDivision ?? 200001;
  const date = new Date(Date.UTC(o.today.getUTCFullYear(), o.today.getUTCMonth(), o.today.getUTCDate() - 1))
    .toISOString()
    .slice(0, 10);
  const exact: ExactSeed = { divisions: [] };
  const dv = {
    accounts: [] as Record<string, unknown>[],
    eol_administrations: [] as Record<string, unknown>[],
    eol_relations: [] as Record<string, unknown>[],
    eol_salesinvoices: [] as Record<string, unknown>[],
    queues: [] as Record<string, unknown>[],
  };
  const mailboxes: LoadSeed['mailboxes'] = [];
  const invoices: LoadInvoice[] = [];
  const divisions: LoadSeed['divisions'] = [];

  for (let d = 0; d < o.divisions; d++) {
    const division = first + d;
    const adminId = loadGuid(`admin:${division}`);
    const layout = loadGuid(`layout:${division}:doc`);
    const mailLayout = loadGuid(`layout:${division}:mail`);
    divisions.push({ division, administrationId: adminId });
    const mailbox = d < (o.dynamicsDivisions ?? 0) ? mailboxOf(division, d) : null;
    if (mailbox) {
      mailboxes.push({ division, address: mailbox.address, mode: mailbox.mode });
      dv.queues.push({ queueid: mailbox.id, name: `Facturen ${division}`, emailaddress: mailbox.address });
    }
    dv.eol_administrations.push({
      eol_administrationid: adminId,
      eol_name: `Load Administratie ${division}`,
      eol_division: division,
      eol_printinvoices: true,
      eol_sources: '1,2,3',
      eol_channels: '1,2,3,4',
      eol_timing: 1,
      eol_timezone: 'Europe/Amsterdam',
      eol_defaultinvoicemethod: null,
      eol_defaultlayout: layout,
      eol_defaultemaillayout: mailLayout,
      eol_senderemail: null,
      eol_extratext: null,
      eol_notifyemail: `finance-${division}@load.example`,
      ...(mailbox ? { eol_emailroute: 2, _eol_mailboxid_value: mailbox.id } : {}),
    });
    const accounts = [];
    const kinds: Kind[] = [];
    for (let r = 0; r < relationsPer; r++) {
      const kind = kindOf(r, o.policyMix ?? false);
      kinds.push(kind);
      const accountId = loadGuid(`account:${division}:${r}`);
      const email = kind === 'noEmail' || kind === 'paper' ? null : `ap-${division}-${r}@customer.example`;
      const peppol = kind === 'peppol' ? `0106:${String(division * 100 + r).padStart(8, '0')}` : null;
      const method = { email: 2, paper: 1, peppol: 32, auto: 0, disabled: 2, noEmail: 2, exactNoEmail: 2 }[
        kind
      ];
      const exactEmail = kind === 'exactNoEmail' ? null : email;
      accounts.push({
        ID: accountId,
        Name: `Klant ${division}-${r}`,
        Code: String(r).padStart(18, ' '),
        Email: exactEmail,
        InvoicingMethod: method || null,
        PeppolIdentifier: peppol,
        PeppolIdentifierType: null,
        Postbox: false,
        Status: 'C' as const,
      });
      dv.accounts.push({
        accountid: loadGuid(`crm-account:${division}:${r}`),
        name: `Klant ${division}-${r}`,
      });
      dv.eol_relations.push({
        eol_relationid: loadGuid(`relation:${division}:${r}`),
        eol_name: `Klant ${division}-${r}`,
        _eol_administrationid_value: adminId,
        _eol_accountid_value: loadGuid(`crm-account:${division}:${r}`),
        eol_exactaccountid: accountId,
        eol_autoinvoice: kind !== 'disabled',
        eol_invoicemethod: method,
        eol_printandsend: false,
        eol_layout: null,
        eol_emaillayout: null,
        eol_invoiceemail: email,
        eol_peppolid: peppol,
      });
    }
    const exactInvoices = [];
    for (let i = 0; i < o.invoicesPerDivision; i++) {
      const r = i % relationsPer;
      const kind = kinds[r]!;
      const invoiceId = loadGuid(`invoice:${division}:${i}`);
      const hasRow = i % 100 < Math.round(o.rowShare * 100);
      const optedOut = (o.policyMix ?? false) && hasRow && i % 37 === 5;
      exactInvoices.push({
        InvoiceID: invoiceId,
        InvoiceTo: loadGuid(`account:${division}:${r}`),
        OrderedBy: loadGuid(`account:${division}:${r}`),
        InvoiceDate: date,
        Status: 20 as const,
        InvoiceNumber: null,
        Type: 8020,
        Description: hasRow ? `Order ${division}-${i}` : `Abonnement Klant ${division}-${r}`,
        OrderNumber: hasRow ? 10_000 + i : null,
        AmountDC: 100 + (i % 50),
        Journal: '70',
      });
      let rowId: string | null = null;
      if (hasRow) {
        rowId = loadGuid(`row:${division}:${i}`);
        dv.eol_salesinvoices.push({
          eol_salesinvoiceid: rowId,
          eol_name: `SO-${division}-${i}`,
          _eol_administrationid_value: adminId,
          _eol_relationid_value: loadGuid(`relation:${division}:${r}`),
          eol_exactinvoiceid: invoiceId,
          eol_invoicenumber: null,
          eol_invoicedate: date,
          eol_source: 1,
          eol_autodispatch: !optedOut,
          eol_extratext: null,
          eol_resend: false,
          eol_dispatchstatus: null,
          eol_dispatchchannel: null,
          eol_dispatchreason: null,
          eol_dispatchmessage: null,
          eol_scheduledfor: null,
          eol_senton: null,
          eol_dispatchattempts: 0,
        });
      }
      const expected = expectedOf(kind, optedOut, mailbox?.mode ?? null);
      invoices.push({
        division,
        administrationId: adminId,
        exactInvoiceId: invoiceId,
        rowId,
        expected,
        mailbox: mailbox && !optedOut && DYNAMICS_KINDS.has(kind) ? mailbox : null,
      });
    }
    exact.divisions.push({
      division,
      name: `Load Administratie ${division}`,
      accounts,
      layouts: [
        { ID: layout, Subject: 'Factuur', Type: 1 },
        { ID: mailLayout, Subject: 'E-mailtekst', Type: 2 },
      ],
      invoices: exactInvoices,
    });
  }
  return { exact, dataverse: dv, invoices, divisions, mailboxes };
}

function mailboxOf(division: number, index: number) {
  return {
    id: loadGuid(`queue:${division}`),
    address: `facturen-${division}@load.example`,
    mode: MAILBOX_MODES[index % MAILBOX_MODES.length]!,
  };
}

/**
 * PRODUCT.md §4 order: opted out (rule 5) before relation switched off (7) before email missing (10). The
 * relation whose Exact account has no address fails on both routes (email_missing: the master-data sync
 * mirrors Exact's address into Dynamics); on the Dynamics route a mailbox whose server-side sync fails
 * fails the invoice (`email_send_failed`).
 */
function expectedOf(kind: Kind, optedOut: boolean, mode: MailboxMode | null): Expected {
  if (optedOut) return 'optedOut';
  if (kind === 'disabled') return 'ignored';
  if (kind === 'noEmail' || kind === 'exactNoEmail') return 'failed';
  if (kind === 'paper') return 'printList';
  const byDynamics = mode !== null && kind !== 'peppol';
  return byDynamics && mode === 'fail' ? 'failed' : 'sent';
}
