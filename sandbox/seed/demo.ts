import { createHash } from 'node:crypto';

/**
 * The demo tenant: two enabled administrations and a disabled one, 17 relations and 40 concept invoices
 * that together exercise every row of PRODUCT.md §4 (except the licence rows, which the licence
 * showcase tenants in demoTenants.ts cover), both timings and every channel.
 * Exact and Dataverse are seeded from this one description so they agree, as they would in real life.
 */

/** Deterministic GUIDs, so demo ids are stable across runs and readable in logs. */
export function demoGuid(name: string): string {
  const h = createHash('sha1').update(`autoinvoice-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface DemoAdministration {
  key: string;
  name: string;
  division: number;
  printInvoices: boolean;
  sources: number[];
  channels: number[];
  timing: 1 | 2;
  timeZone: string;
  defaultLayout: string | null;
  defaultEmailLayout: string | null;
  notifyEmail: string;
  extraText?: string;
  /** false = a division in Exact that has no eol_administration row (administration_unknown). */
  inDataverse?: boolean;
  /** Invoice email sent by Dynamics 365 from the demo's mailbox with its template (PRODUCT.md §12). */
  dynamicsMail?: boolean;
}

export interface DemoRelation {
  key: string;
  admin: string;
  name: string;
  autoInvoice: boolean;
  method: number | null;
  printAndSend?: boolean;
  email?: string | null;
  peppolId?: string | null;
  emailLayout?: string | null;
  layout?: string | null;
  /** What Exact's account says, when it differs from Dataverse (a channel error inside a 2xx). */
  exactEmail?: string | null;
  exactPeppolId?: string | null;
  postbox?: boolean;
  /** false = the account exists only in Exact: no relation row, and no Dynamics account to link. */
  inDataverse?: boolean;
  /** How the first sync finds the relation's Dynamics account (PRODUCT.md §11); default an existing link. */
  link?: 'link' | 'kvk' | 'vat' | 'name';
  kvk?: string;
  vat?: string;
  /** The Dynamics account's name, when it differs from Exact's. */
  dynamicsName?: string;
  /** Created in Exact after the connect-time sync (so not mirrored yet: relation_unknown). */
  createdAfterSync?: boolean;
  /** Exact's `InvoiceAccount`: the relation (key) invoiced instead, e.g. a person's company. */
  invoiceAccount?: string;
  /** Dynamics route: leave drafts for review (the relation's `eol_emailreview` 1). */
  emailReview?: boolean;
  /** Contacts of the relation's Dynamics account: name, address, flagged "receives invoices". */
  contacts?: Array<{ name: string; email: string; invoiceRecipient: boolean }>;
}

export interface DemoInvoice {
  key: string;
  admin: string;
  relation: string;
  /** Days from today (negative = backdated). */
  dateOffset: number;
  /** 1 sales order (row made by Dynamics); 2 recurring / 3 manual (no row: the sweep creates it). */
  source: 1 | 2 | 3;
  exactStatus?: 10 | 20 | 50;
  autoDispatch?: boolean;
  /** Sales-order row without an administration (administration_unknown). */
  noAdministration?: boolean;
  amount: number;
  /** The row's `eol_recipients` (Dynamics route): this invoice's own recipients. */
  recipients?: string;
}

const L = (k: string) => demoGuid(`layout:${k}`);

export const administrations: DemoAdministration[] = [
  {
    key: 'A',
    name: 'Bakkerij Holding BV',
    division: 100001,
    printInvoices: true,
    sources: [1, 2],
    channels: [1, 2, 3, 4],
    timing: 1,
    timeZone: 'Europe/Amsterdam',
    defaultLayout: L('A-doc'),
    defaultEmailLayout: L('A-mail'),
    notifyEmail: 'administratie@bakkerijholding.example',
    extraText: 'Betaling binnen 14 dagen.',
  },
  {
    key: 'B',
    name: 'Jansen Services BV',
    division: 100002,
    printInvoices: true,
    sources: [1, 2, 3],
    channels: [1, 3],
    timing: 2,
    timeZone: 'Europe/Amsterdam',
    defaultLayout: L('B-doc'),
    defaultEmailLayout: null,
    notifyEmail: 'finance@jansenservices.example',
  },
  {
    key: 'C',
    name: 'Oude Administratie BV',
    division: 100003,
    printInvoices: false,
    sources: [1, 2],
    channels: [1, 2, 3, 4],
    timing: 1,
    timeZone: 'Europe/Amsterdam',
    defaultLayout: L('C-doc'),
    defaultEmailLayout: L('C-mail'),
    notifyEmail: 'oud@example.com',
  },
  {
    key: 'D',
    name: 'Mail Vanuit Dynamics BV',
    division: 100004,
    printInvoices: true,
    sources: [1],
    channels: [3, 4],
    timing: 1,
    timeZone: 'Europe/Amsterdam',
    defaultLayout: L('D-doc'),
    defaultEmailLayout: null,
    notifyEmail: 'administratie@mailvanuitdynamics.example',
    dynamicsMail: true,
  },
  {
    key: 'N',
    name: 'Nieuwe Vestiging BV',
    division: 100009,
    printInvoices: false,
    sources: [1],
    channels: [3],
    timing: 1,
    timeZone: 'Europe/Amsterdam',
    defaultLayout: null,
    defaultEmailLayout: null,
    notifyEmail: 'nieuw@example.com',
    inDataverse: false,
  },
];

export const relations: DemoRelation[] = [
  {
    key: 'R1',
    admin: 'A',
    name: 'Bakkerij Jansen',
    autoInvoice: false,
    method: 2,
    email: 'boekhouding@bakkerijjansen.example',
  },
  {
    key: 'R2',
    admin: 'A',
    name: 'Café De Hoek',
    autoInvoice: true,
    method: 2,
    email: 'factuur@dehoek.example; eigenaar@dehoek.example',
  },
  {
    key: 'R3',
    admin: 'A',
    name: 'Peppol Partners BV',
    autoInvoice: true,
    method: 0,
    peppolId: '0106:12345678',
    email: 'ap@peppolpartners.example',
    link: 'kvk',
    kvk: '12345678',
    dynamicsName: 'Peppol Partners B.V.',
  },
  { key: 'R4', admin: 'A', name: 'Drukkerij Print & Post', autoInvoice: true, method: 1, printAndSend: true },
  { key: 'R5', admin: 'A', name: 'Postbus Groothandel', autoInvoice: true, method: 4, postbox: true },
  { key: 'R6', admin: 'A', name: 'Papier & Co', autoInvoice: true, method: 1 },
  { key: 'R7', admin: 'A', name: 'Geen Mail BV', autoInvoice: true, method: 2, email: null },
  {
    key: 'R8',
    admin: 'A',
    name: 'Tikfout Techniek',
    autoInvoice: true,
    method: 2,
    email: 'info@@tikfout.example; administratie@tikfout.example',
    // Typed into Exact's one e-mail field as well: Exact would fail the channel (decision 0070).
    exactEmail: 'info@@tikfout.example; administratie@tikfout.example',
  },
  { key: 'R9', admin: 'A', name: 'Peppol Zonder Id', autoInvoice: true, method: 32, peppolId: null },
  {
    key: 'R10',
    admin: 'A',
    name: 'Automaat Mail VOF',
    autoInvoice: true,
    method: null,
    email: 'facturen@automaat.example',
    link: 'name',
  },
  {
    // Exact's account has no digital postbox: only Exact finds out, while printing (exact_channel_error).
    key: 'R16',
    admin: 'A',
    name: 'Postbox Kapot BV',
    autoInvoice: true,
    method: 4,
    postbox: false,
  },
  {
    key: 'RX',
    admin: 'A',
    name: 'Onbekende Klant',
    autoInvoice: true,
    method: 2,
    email: 'x@onbekend.example',
    inDataverse: false,
    createdAfterSync: true,
  },
  { key: 'R11', admin: 'B', name: 'Kanaalloos Bouw', autoInvoice: true, method: 0 },
  { key: 'R12', admin: 'B', name: 'Postbox Liefhebber', autoInvoice: true, method: 4, postbox: true },
  {
    key: 'R13',
    admin: 'B',
    name: 'English Client Ltd',
    autoInvoice: true,
    method: 2,
    email: 'accounts@englishclient.example',
    link: 'vat',
    vat: 'GB123456789',
    dynamicsName: 'English Client Limited',
  },
  {
    key: 'R14',
    admin: 'B',
    name: 'Peppol Overheid',
    autoInvoice: true,
    method: 0,
    peppolId: '0190:00000001234567890123',
  },
  {
    key: 'R17',
    admin: 'B',
    name: 'Mail Met Layout BV',
    autoInvoice: true,
    method: 2,
    email: 'facturen@metlayout.example',
    emailLayout: L('B-mail'),
  },
  {
    // On Peppol only under its KvK number; Exact's account holds no Peppol id (AutoInvoice writes the find there).
    key: 'R18',
    admin: 'A',
    name: 'KvK Alleen BV',
    autoInvoice: true,
    method: 0,
    kvk: '24681357',
    email: 'facturen@kvkalleen.example',
  },
  {
    // Exact holds a Peppol id that is not on the Peppol network: the automatic chain goes on to email.
    key: 'R19',
    admin: 'A',
    name: 'Niet Op Peppol BV',
    autoInvoice: true,
    method: 0,
    peppolId: '0106:99999999',
    email: 'administratie@nietoppeppol.example',
  },
  {
    // Invoiced via Peppol explicitly, to an id that is not on the network: fails before any print call.
    key: 'R20',
    admin: 'A',
    name: 'Peppol Afgemeld BV',
    autoInvoice: true,
    method: 32,
    peppolId: '0106:55555555',
  },
  {
    key: 'R15',
    admin: 'C',
    name: 'Klant Oude Administratie',
    autoInvoice: true,
    method: 2,
    email: 'klant@oud.example',
  },
  {
    key: 'RN',
    admin: 'N',
    name: 'Klant Nieuwe Vestiging',
    autoInvoice: true,
    method: 2,
    email: 'klant@nieuw.example',
    inDataverse: false,
  },
  // D: invoice email from Dynamics 365, one relation per recipient rule (PRODUCT.md §12)
  {
    key: 'R21',
    admin: 'D',
    name: 'Lijst Per Puntkomma BV',
    autoInvoice: true,
    method: 2,
    email: 'factuur@lijst.example; boekhouding@lijst.example',
  },
  {
    key: 'R22',
    admin: 'D',
    name: 'Contacten Groep BV',
    autoInvoice: true,
    method: 2,
    email: 'info@contacten.example',
    contacts: [
      { name: 'Petra Inkoop', email: 'petra@contacten.example', invoiceRecipient: true },
      { name: 'Kees Verkoop', email: 'kees@contacten.example', invoiceRecipient: false },
    ],
  },
  {
    key: 'R23',
    admin: 'D',
    name: 'Eerst Nakijken BV',
    autoInvoice: true,
    method: 2,
    email: 'ap@nakijken.example',
    emailReview: true,
  },
  {
    key: 'R24',
    admin: 'D',
    name: 'Eigen Adres BV',
    autoInvoice: true,
    method: 2,
    email: 'algemeen@eigenadres.example',
  },
  {
    key: 'R25',
    admin: 'D',
    name: 'J. Particulier',
    autoInvoice: true,
    method: 2,
    email: 'jan@particulier.example',
    invoiceAccount: 'R21',
  },
];

let n = 0;
const inv = (
  admin: string,
  relation: string,
  source: 1 | 2 | 3,
  extra: Partial<DemoInvoice> = {},
): DemoInvoice => ({
  key: `I${++n}`,
  admin,
  relation,
  source,
  dateOffset: 0,
  amount: 100 + n * 17.5,
  ...extra,
});

export const invoices: DemoInvoice[] = [
  // A: sent through every channel
  inv('A', 'R2', 1),
  inv('A', 'R2', 1),
  inv('A', 'R2', 1, { dateOffset: -3 }),
  inv('A', 'R2', 2),
  inv('A', 'R2', 2),
  inv('A', 'R3', 1),
  inv('A', 'R3', 1),
  inv('A', 'R3', 2),
  inv('A', 'R3', 2),
  inv('A', 'R5', 1),
  inv('A', 'R5', 1),
  inv('A', 'R6', 1),
  inv('A', 'R6', 1),
  inv('A', 'R10', 1),
  inv('A', 'R10', 1),
  inv('A', 'R10', 2),
  // A: every reason not to send
  inv('A', 'R1', 1), // relation_disabled
  inv('A', 'R4', 1), // relation_prints_itself
  inv('A', 'R7', 1), // email_missing
  inv('A', 'R8', 1), // email_invalid
  inv('A', 'R9', 1), // peppol_id_missing
  inv('A', 'R16', 1), // exact_channel_error (Exact's account has no digital postbox)
  inv('A', 'R2', 1, { autoDispatch: false }), // invoice_opted_out
  inv('A', 'R3', 1, { exactStatus: 10 }), // invoice_not_open (draft)
  inv('A', 'R6', 1, { exactStatus: 50 }), // invoice_not_open (processed by hand)
  inv('N', 'RN', 1, { noAdministration: true }), // administration_unknown (division without eol_administration)
  inv('A', 'RX', 2), // relation_unknown (recurring invoice for an account Dynamics does not know)
  inv('A', 'R2', 3), // source_disabled (manual invoice; A allows sales orders and recurring only)
  // B: invoice-date timing, Peppol and email only
  inv('B', 'R14', 1), // dated today: at once
  inv('B', 'R14', 1, { dateOffset: 2 }), // scheduled for 00:05 in two days
  inv('B', 'R14', 1, { dateOffset: -10 }), // backdated import: at once
  inv('B', 'R14', 3), // manual, allowed in B
  inv('B', 'R17', 1),
  inv('B', 'R17', 2, { dateOffset: 1 }), // email with the relation's own email layout; one tomorrow
  inv('B', 'R11', 1), // no_channel (no Peppol id, no email, paper disabled)
  inv('B', 'R12', 1), // channel_disabled (postbox not enabled in B)
  inv('B', 'R13', 1), // layout_missing (email without an email layout)
  // C: administration switched off
  inv('C', 'R15', 1),
  inv('C', 'R15', 1),
  inv('A', 'R10', 1),
  // A: the Peppol lookup (PRODUCT.md §13)
  inv('A', 'R18', 1), // Peppol, found by KvK
  inv('A', 'R19', 1), // email: Exact's Peppol id is not registered
  inv('A', 'R20', 1), // peppol_not_registered, before printing
  // D: email from Dynamics 365 (PRODUCT.md §12)
  inv('D', 'R21', 1), // the relation's ';' list
  inv('D', 'R22', 1), // the relation's address and its flagged contact
  inv('D', 'R23', 1), // a draft left for review
  inv('D', 'R24', 1, { recipients: 'inkoop@eigenadres.example' }), // this invoice's own recipients
  inv('D', 'R25', 1), // a person, and the company invoiced for them
];

export const DEMO_MAILBOX_ID = demoGuid('queue:D');
export const DEMO_TEMPLATE_ID = demoGuid('template:D');

/** Who is on the Peppol network of the demo (the Peppol sandbox's SML and SMP answer for these). */
export const DEMO_PEPPOL_NETWORK = {
  '0106:12345678': 'registered',
  '0190:00000001234567890123': 'registered',
  '0106:24681357': 'registered',
} as const;

export const DEMO_ORGANIZATION_ID = demoGuid('organization:demo');
export const DEMO_OWNER_ID = demoGuid('systemuser:demo-owner');

/** The date `offset` days from today's date in Amsterdam, where the demo's administrations are. */
function isoDate(today: Date, offset: number): string {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' })
    .format(today)
    .split('-')
    .map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + offset)).toISOString().slice(0, 10);
}

function firstAddress(list: string | null | undefined): string | null {
  return (
    list
      ?.split(';')
      .map((s) => s.trim())
      .find((s) => /^[^@\s]+@[^@\s]+$/.test(s)) ?? null
  );
}

/** A demo relation's account as Exact holds it (wire-shaped field names). */
export function exactAccount(r: DemoRelation) {
  return {
    ID: demoGuid(`account:${r.key}`),
    Name: r.name,
    Code: r.key.padStart(18, ' '),
    Email: r.exactEmail !== undefined ? r.exactEmail : firstAddress(r.email),
    InvoicingMethod: r.method && r.method > 0 ? r.method : null,
    PeppolIdentifier: r.exactPeppolId !== undefined ? r.exactPeppolId : (r.peppolId ?? null),
    PeppolIdentifierType: null,
    ...(r.invoiceAccount ? { InvoiceAccount: demoGuid(`account:${r.invoiceAccount}`) } : {}),
    ChamberOfCommerce: r.kvk ?? null,
    VATNumber: r.vat ?? null,
    Postbox: r.postbox ?? false,
    Status: 'C' as const,
  };
}

/** Accounts created in Exact after the connect-time sync, with their division. */
export function accountsCreatedAfterSync() {
  return relations
    .filter((r) => r.createdAfterSync === true)
    .map((r) => ({
      division: administrations.find((a) => a.key === r.admin)!.division,
      account: exactAccount(r),
    }));
}

/** The Exact sandbox seed (wire-shaped field names). */
export function exactSeed(today: Date) {
  return {
    divisions: administrations.map((a) => ({
      division: a.division,
      name: a.name,
      mailbox: true,
      peppol: true,
      accounts: relations
        .filter((r) => r.admin === a.key && r.createdAfterSync !== true)
        .map((r) => ({
          ...exactAccount(r),
        })),
      layouts: [
        { ID: L(`${a.key}-doc`), Subject: `${a.name} factuur`, Type: 1 as const },
        { ID: L(`${a.key}-mail`), Subject: `${a.name} e-mailtekst`, Type: 2 as const },
        ...(a.key === 'B' ? [{ ID: L('B-mail'), Subject: 'Mail met layout', Type: 2 as const }] : []),
      ],
      invoices: invoices
        .filter((i) => i.admin === a.key)
        .map((i) => ({
          InvoiceID: demoGuid(`invoice:${i.key}`),
          InvoiceTo: demoGuid(`account:${i.relation}`),
          OrderedBy: demoGuid(`account:${i.relation}`),
          InvoiceDate: isoDate(today, i.dateOffset),
          Status: i.exactStatus ?? 20,
          InvoiceNumber: i.exactStatus === 50 ? 24000 + Number(i.key.slice(1)) : null,
          Type: 8020,
          Description:
            i.source === 2
              ? `Abonnement ${relations.find((r) => r.key === i.relation)?.name}`
              : i.source === 1
                ? `Order ${i.key}`
                : `Handmatige factuur ${i.key}`,
          OrderNumber: i.source === 1 ? 5000 + Number(i.key.slice(1)) : null,
          AmountDC: i.amount,
          Journal: '70',
        })),
    })),
  };
}

/** The Dataverse sandbox seed: Web API JSON rows per entity set. */
export function dataverseSeed(today: Date) {
  return {
    systemusers: [
      {
        systemuserid: DEMO_OWNER_ID,
        fullname: 'Demo Verkoper',
        internalemailaddress: 'verkoper@demo.example',
      },
    ],
    accounts: relations
      .filter((r) => r.inDataverse !== false)
      .map((r) => ({
        accountid: demoGuid(`crm-account:${r.key}`),
        name: r.dynamicsName ?? r.name,
        ...(r.link === 'kvk' ? { eol_kvk: r.kvk } : {}),
        ...(r.link === 'vat' ? { eol_vatnumber: r.vat } : {}),
      })),
    eol_administrations: administrations
      .filter((a) => a.inDataverse !== false)
      .map((a) => ({
        eol_administrationid: demoGuid(`admin:${a.key}`),
        eol_name: a.name,
        eol_division: a.division,
        eol_printinvoices: a.printInvoices,
        eol_sources: a.sources.join(','),
        eol_channels: a.channels.join(','),
        eol_timing: a.timing,
        eol_timezone: a.timeZone,
        eol_defaultinvoicemethod: null,
        eol_defaultlayout: a.defaultLayout,
        eol_defaultemaillayout: a.defaultEmailLayout,
        eol_senderemail: null,
        eol_extratext: a.extraText ?? null,
        eol_notifyemail: a.notifyEmail,
        ...(a.dynamicsMail
          ? {
              eol_emailroute: 2,
              _eol_mailboxid_value: DEMO_MAILBOX_ID,
              _eol_emailtemplateid_value: DEMO_TEMPLATE_ID,
            }
          : {}),
      })),
    eol_relations: relations
      .filter((r) => r.inDataverse !== false)
      .map((r) => ({
        eol_relationid: demoGuid(`relation:${r.key}`),
        eol_name: r.name,
        _eol_administrationid_value: demoGuid(`admin:${r.admin}`),
        _eol_accountid_value: (r.link ?? 'link') === 'link' ? demoGuid(`crm-account:${r.key}`) : null,
        eol_exactaccountid: demoGuid(`account:${r.key}`),
        eol_autoinvoice: r.autoInvoice,
        eol_invoicemethod: r.method,
        eol_printandsend: r.printAndSend ?? false,
        eol_layout: r.layout ?? null,
        eol_emaillayout: r.emailLayout ?? null,
        eol_invoiceemail: r.email ?? null,
        eol_peppolid: r.peppolId ?? null,
        ...(r.emailReview ? { eol_emailreview: 1 } : {}),
      })),
    eol_salesinvoices: invoices
      .filter((i) => i.source === 1)
      .map((i) => ({
        eol_salesinvoiceid: demoGuid(`row:${i.key}`),
        eol_name: `SO-${5000 + Number(i.key.slice(1))}`,
        _eol_administrationid_value: i.noAdministration ? null : demoGuid(`admin:${i.admin}`),
        _eol_relationid_value:
          relations.find((r) => r.key === i.relation)?.inDataverse === false
            ? null
            : demoGuid(`relation:${i.relation}`),
        _ownerid_value: DEMO_OWNER_ID,
        eol_exactinvoiceid: demoGuid(`invoice:${i.key}`),
        eol_invoicenumber: null,
        eol_invoicedate: isoDate(today, i.dateOffset),
        eol_source: 1,
        eol_autodispatch: i.autoDispatch ?? true,
        eol_extratext: null,
        eol_resend: false,
        eol_dispatchstatus: null,
        eol_dispatchchannel: null,
        eol_dispatchreason: null,
        eol_dispatchmessage: null,
        eol_scheduledfor: null,
        eol_senton: null,
        eol_dispatchattempts: 0,
        ...(i.recipients ? { eol_recipients: i.recipients } : {}),
      })),
    ...mailSeed(),
  };
}

/** The mailbox, template and account contacts of the Dynamics route's administration (D). */
function mailSeed() {
  return {
    queues: [
      {
        queueid: DEMO_MAILBOX_ID,
        name: 'Facturen Mail Vanuit Dynamics',
        emailaddress: 'facturen@mailvanuitdynamics.example',
      },
    ],
    templates: [
      {
        templateid: DEMO_TEMPLATE_ID,
        title: 'Factuur (AutoInvoice)',
        templatetypecode: 'eol_salesinvoice',
        subject: 'Factuur %n van Mail Vanuit Dynamics BV',
        body: '<p>Beste klant,</p><p>Bijgaand factuur %n ({!eol_salesinvoice:eol_name;uw order}).</p><p>Met vriendelijke groet,<br>Mail Vanuit Dynamics BV</p>',
        languagecode: 1043,
        ispersonal: false,
      },
    ],
    contacts: relations.flatMap((r) =>
      (r.contacts ?? []).map((c) => ({
        contactid: demoGuid(`contact:${r.key}:${c.name}`),
        fullname: c.name,
        emailaddress1: c.email,
        _parentcustomerid_value: demoGuid(`crm-account:${r.key}`),
        eol_invoicerecipient: c.invoiceRecipient,
      })),
    ),
  };
}
