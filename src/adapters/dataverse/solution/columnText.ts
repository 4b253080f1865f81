/**
 * Dutch labels of the eol_ columns (the English ones live in the vocabulary) and the help text a form
 * shows for the administration's and relation's settings (PRODUCT.md §2, §12). A column the vocabulary
 * gains later (issue 14's, §12's) without an entry here keeps its English label in both languages.
 */
import type { Labels } from './labels';

export const DUTCH_LABELS: Readonly<Record<string, string>> = {
  eol_name: 'Naam',
  eol_division: 'Divisie',
  eol_printinvoices: 'Facturen printen',
  eol_sources: 'Bronnen',
  eol_channels: 'Kanalen',
  eol_timing: 'Moment van verzenden',
  eol_timezone: 'Tijdzone',
  eol_defaultinvoicemethod: 'Standaard factuurwijze',
  eol_defaultlayout: 'Standaard documentlay-out',
  eol_defaultemaillayout: 'Standaard e-maillay-out',
  eol_senderemail: 'Afzender e-mail',
  eol_extratext: 'Extra tekst',
  eol_notifyemail: 'E-mail voor meldingen',
  eol_emailroute: 'E-mail verzonden door',
  eol_emailtemplateid: 'E-mailsjabloon',
  eol_mailboxid: 'Postvak',
  eol_emailreview: 'E-mail eerst nakijken',
  eol_emailcc: 'CC van factuur-e-mail',
  eol_emailbcc: 'BCC van factuur-e-mail',
  eol_invoicerecipient: 'Ontvangt facturen',
  eol_administrationid: 'Administratie',
  eol_accountid: 'Account',
  eol_exactaccountid: 'Exact-relatie-id',
  eol_autoinvoice: 'Automatisch factureren',
  eol_invoicemethod: 'Factuurwijze',
  eol_printandsend: 'Factuur printen en versturen',
  eol_layout: 'Documentlay-out',
  eol_emaillayout: 'E-maillay-out',
  eol_invoiceemail: 'Factuur-e-mail',
  eol_peppolid: 'Peppol-id',
  eol_relationid: 'Relatie',
  eol_exactinvoiceid: 'Exact-factuur-id',
  eol_invoicenumber: 'Factuurnummer',
  eol_invoicedate: 'Factuurdatum',
  eol_source: 'Bron',
  eol_autodispatch: 'Automatisch verzenden',
  eol_resend: 'Opnieuw verzenden',
  eol_sendnow: 'Nu verzenden',
  eol_dispatchstatus: 'Verzendstatus',
  eol_dispatchchannel: 'Verzendkanaal',
  eol_dispatchreason: 'Reden',
  eol_dispatchmessage: 'Toelichting',
  eol_scheduledfor: 'Gepland voor',
  eol_senton: 'Verzonden op',
  eol_dispatchattempts: 'Verzendpogingen',
  eol_recipients: 'Ontvangers',
  eol_emailid: 'E-mail',
  // The Exact master-data mirror (issue 14) and PRODUCT.md §12's columns.
  eol_defaultlayoutid: 'Standaard documentlay-out',
  eol_defaultemaillayoutid: 'Standaard e-maillay-out',
  eol_layoutid: 'Documentlay-out',
  eol_emaillayoutid: 'E-maillay-out',
  eol_exactstate: 'Status in Exact',
  eol_accountcursor: 'Synchronisatiecursor Exact-relaties',
  eol_peppolrequired: 'Peppol verplicht',
  eol_activefrom: 'Actief vanaf',
  eol_exactlayoutid: 'Exact-lay-out-id',
  eol_layouttype: 'Soort lay-out',
  eol_language: 'Taal',
  eol_inactive: 'Inactief in Exact',
  eol_oin: 'OIN',
  eol_invoiceaccountid: 'Factuurrelatie',
  eol_exactinvoicemethod: 'Factuurwijze in Exact (laatst gezien)',
  eol_exactinvoiceemail: 'Factuur-e-mail in Exact (laatst gezien)',
  eol_exactpeppolid: 'Peppol-id in Exact (laatst gezien)',
  eol_syncconflict: 'Synchronisatieconflict',
  // Added to Dynamics' account (decision 0077).
  eol_kvk: 'KvK-nummer',
  eol_vatnumber: 'Btw-nummer',
  ownerid: 'Eigenaar',
  statecode: 'Status',
};

/** Help text of the settings a user or administrator configures. */
export const HELP: Readonly<Record<string, Labels>> = {
  eol_printinvoices: {
    en: 'Master switch: while no, AutoInvoice prints and sends nothing for this administration.',
    nl: 'Hoofdschakelaar: zolang nee, print en verstuurt AutoInvoice niets voor deze administratie.',
  },
  eol_sources: {
    en: 'Which invoices may be sent automatically: sales orders, recurring, manual, other applications.',
    nl: 'Welke facturen automatisch verzonden mogen worden: verkooporders, periodiek, handmatig, andere applicaties.',
  },
  eol_channels: {
    en: 'The channels AutoInvoice may use: Peppol, Exact digital postbox, email, paper.',
    nl: 'De kanalen die AutoInvoice mag gebruiken: Peppol, digitale brievenbus van Exact, e-mail, papier.',
  },
  eol_timing: {
    en: 'Send as soon as the invoice is ready, or on the invoice date at 00:05 local time.',
    nl: 'Verzenden zodra de factuur klaar is, of op de factuurdatum om 00:05 lokale tijd.',
  },
  eol_timezone: {
    en: 'IANA time zone for timing and dates (e.g. Europe/Amsterdam).',
    nl: 'IANA-tijdzone voor het moment van verzenden en datums (bijv. Europe/Amsterdam).',
  },
  eol_defaultinvoicemethod: {
    en: 'The invoice method for relations that have none.',
    nl: 'De factuurwijze voor relaties die er zelf geen hebben.',
  },
  eol_defaultlayout: {
    en: 'Exact document layout used when the relation has none.',
    nl: 'Documentlay-out van Exact voor relaties zonder eigen lay-out.',
  },
  eol_defaultemaillayout: {
    en: 'Exact email text layout used when the relation has none.',
    nl: 'E-maillay-out van Exact voor relaties zonder eigen lay-out.',
  },
  eol_senderemail: {
    en: "Sender address of Exact's email; empty means the company's address.",
    nl: 'Afzenderadres van de e-mail van Exact; leeg is het adres van het bedrijf.',
  },
  eol_extratext: {
    en: 'Printed on the invoice and in the email.',
    nl: 'Wordt op de factuur en in de e-mail afgedrukt.',
  },
  eol_notifyemail: {
    en: 'Addresses that receive failure notifications, separated by ;',
    nl: 'Adressen die meldingen van mislukte verzendingen krijgen, gescheiden door ;',
  },
  eol_emailroute: {
    en: "Who sends invoice email: Exact Online or Dynamics 365. Empty on a relation: the administration's.",
    nl: 'Wie de factuur-e-mail verstuurt: Exact Online of Dynamics 365. Leeg bij een relatie: die van de administratie.',
  },
  eol_emailreview: {
    en: "Create a draft email for a person to review and send, instead of sending it. Empty on a relation: the administration's.",
    nl: 'Een concept-e-mail maken die iemand nakijkt en verstuurt, in plaats van direct verzenden. Leeg bij een relatie: die van de administratie.',
  },
  eol_emailtemplateid: {
    en: 'The Dynamics 365 email template of the invoice email; %n in its subject is the invoice number.',
    nl: 'Het e-mailsjabloon van Dynamics 365 voor de factuur-e-mail; %n in het onderwerp is het factuurnummer.',
  },
  eol_mailboxid: {
    en: 'The mailbox (queue) the invoice email is sent from.',
    nl: 'Het postvak (wachtrij) waaruit de factuur-e-mail wordt verzonden.',
  },
  eol_emailcc: {
    en: 'Addresses copied on every invoice email sent from Dynamics 365, separated by ;',
    nl: 'Adressen die een kopie krijgen van elke factuur-e-mail uit Dynamics 365, gescheiden door ;',
  },
  eol_emailbcc: {
    en: 'Addresses that get a blind copy of every invoice email sent from Dynamics 365, separated by ;',
    nl: 'Adressen die een blinde kopie krijgen van elke factuur-e-mail uit Dynamics 365, gescheiden door ;',
  },
  eol_recipients: {
    en: "This invoice's recipients, separated by ; (instead of the relation's), when Dynamics 365 sends it.",
    nl: 'De ontvangers van deze factuur, gescheiden door ; (in plaats van die van de relatie), als Dynamics 365 hem verstuurt.',
  },
  eol_invoicerecipient: {
    en: "Yes: this contact receives the account's invoices sent by email from Dynamics 365.",
    nl: 'Ja: deze contactpersoon krijgt de facturen van het account die per e-mail uit Dynamics 365 worden verzonden.',
  },
  eol_autoinvoice: {
    en: 'Takes part in auto-invoice; no keeps a manual check in Exact (e.g. during a dispute).',
    nl: 'Doet mee met automatisch factureren; nee houdt een handmatige controle in Exact (bijv. bij een geschil).',
  },
  eol_printandsend: {
    en: "Yes: the office prints and posts this relation's invoices itself; AutoInvoice leaves them alone.",
    nl: 'Ja: het kantoor print en verstuurt de facturen van deze relatie zelf; AutoInvoice laat ze met rust.',
  },
  eol_autodispatch: {
    en: 'No holds this invoice: AutoInvoice does not send it until it is released.',
    nl: 'Nee houdt deze factuur vast: AutoInvoice verstuurt hem niet tot hij wordt vrijgegeven.',
  },
};

/** Dutch names and descriptions of the eol_ tables (the English ones live in the vocabulary). */
export const DUTCH_TABLES: Readonly<Record<string, { label: string; plural: string; description: string }>> =
  {
    eol_administration: {
      label: 'Exact-administratie',
      plural: 'Exact-administraties',
      description:
        'Een administratie (divisie) in Exact Online en haar instellingen voor automatisch factureren.',
    },
    eol_relation: {
      label: 'Exact-relatie',
      plural: 'Exact-relaties',
      description: 'Een relatie (klant) in Exact Online binnen één administratie.',
    },
    eol_salesinvoice: {
      label: 'Exact-verkoopfactuur',
      plural: 'Exact-verkoopfacturen',
      description: 'Een conceptverkoopfactuur in Exact Online en de stand van haar verzending.',
    },
    eol_layout: {
      label: 'Exact-lay-out',
      plural: 'Exact-lay-outs',
      description: 'Een document- of e-maillay-out uit Exact Online.',
    },
  };

/** Dutch labels of the choices' options: global option sets by name, local ones as `<table>.<column>`. */
export const DUTCH_OPTIONS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  eol_source: { 1: 'Verkooporder', 2: 'Periodiek', 3: 'Handmatig', 4: 'Andere applicatie' },
  eol_channel: { 1: 'Peppol e-factuur', 2: 'Digitale brievenbus van Exact', 3: 'E-mail', 4: 'Papier' },
  eol_invoicemethod: {
    0: 'Automatisch (beste kanaal)',
    1: 'Papier',
    2: 'E-mail',
    4: 'Digitale brievenbus',
    32: 'Peppol',
  },
  eol_emailroute: { 1: 'Exact Online', 2: 'Dynamics 365' },
  eol_exactstate: { 1: 'Actief', 2: 'Verdwenen' },
  'eol_layout.eol_layouttype': { 1: 'Document', 2: 'E-mailtekst' },
  'eol_administration.eol_timing': { 1: 'Zodra de factuur klaar is', 2: 'Op de factuurdatum om 00:05' },
  'eol_relation.eol_emailreview': { 1: 'Ja, concept laten nakijken', 2: 'Nee, direct verzenden' },
  'eol_salesinvoice.eol_dispatchstatus': {
    1: 'Wacht',
    2: 'Gepland',
    3: 'Wordt verzonden',
    4: 'Verzonden',
    5: 'Genegeerd',
    6: 'Mislukt',
    7: 'Afgemeld',
    8: 'Wacht op controle',
    9: 'Op printlijst',
  },
};

export function columnLabels(column: string, english: string): Labels {
  return { en: english, nl: DUTCH_LABELS[column] ?? english };
}
