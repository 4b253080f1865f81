// The console's words in English and Dutch. Messages about invoices come from the connector in the
// organisation's language (PRODUCT.md §4); these are the page's own labels.
export const WORDS = {
  en: {
    skip: 'Skip to content',
    title: 'AutoInvoice operator console',
    tenant: 'Tenant',
    language: 'Language',
    sections: 'Sections',
    dashboard: 'Dashboard',
    invoices: 'Invoices',
    plan: 'Plan and activation',
    batch: 'Batch send',
    failures: 'Failures',
    noFailures: 'No failed invoices.',
    reason: 'Reason',
    allReasons: 'All reasons',
    resend: 'Resend failed invoices',
    failuresCaption: 'Failed invoices, newest first',
    invoice: 'Invoice',
    administration: 'Administration',
    message: 'Message',
    counts: 'Counts by status',
    countsCaption: 'Invoices per administration by status',
    sentPerDay: 'Sent per day by channel',
    status: 'Status',
    allStatuses: 'All statuses',
    search: 'Search',
    show: 'Show',
    invoicesCaption: 'What the connector did, newest first',
    channel: 'Channel',
    planHelp: 'A plan shows what would happen to every open invoice now. Nothing is sent.',
    since: 'Backlog date (invoices before it are left alone)',
    makePlan: 'Make plan',
    activate: 'Activate',
    planCaption: 'Per invoice: the outcome as it would be now',
    relation: 'Relation',
    outcome: 'Outcome',
    forecast: 'Forecast',
    recipients: 'Recipients',
    layouts: 'Layouts',
    when: 'When',
    relationsCaption: 'Per relation: current method and proposed channel',
    current: 'Current',
    proposed: 'Proposed',
    sendAll: 'Send all open invoices',
    progress: 'Progress',
    licenceValid: 'Licence valid until {date}',
    licenceInvalid: 'Licence not valid ({reason})',
    connected: 'Exact Online connected',
    notConnected: 'Exact Online not connected',
    on: 'on',
    off: 'off',
    since_: 'from {date}',
    total: 'Total',
    day: 'Day',
    printInvoices: 'Print invoices',
    planned: '{n} open invoices: {counts}',
    plannedOne: '1 open invoice: {counts}',
    nothing: 'Nothing sent in the last 14 days.',
    chartLabel: 'Invoices sent per day by channel, last 14 days',
    none: 'none',
    eta: '{done} of {total} ({percent} %), about {eta} left',
    etaDaily: '; {n} wait for tomorrow’s Exact budget',
    done: 'Done: {done} of {total} (100 %)',
    summary: 'Summary: {n} invoices — {counts}',
    summaryOne: 'Summary: 1 invoice — {counts}',
    needSince: 'Choose a backlog date first.',
    confirmActivate: 'Switch {admin} on? Invoices dated before {date} are left alone.',
    activated: '{admin} activated from {date}; {n} older invoices left alone.',
    activatedOne: '{admin} activated from {date}; 1 older invoice left alone.',
    backlog: 'Left alone (before the activation date)',
    error: 'The connector refused: {error}',
    nothingToResend: 'No failed invoice to resend.',
    working: 'Working…',
    signIn: 'Signing in…',
  },
  nl: {
    skip: 'Naar de inhoud',
    title: 'AutoInvoice beheerconsole',
    tenant: 'Tenant',
    language: 'Taal',
    sections: 'Onderdelen',
    dashboard: 'Overzicht',
    invoices: 'Facturen',
    plan: 'Plan en activering',
    batch: 'In één keer verzenden',
    failures: 'Mislukt',
    noFailures: 'Geen mislukte facturen.',
    reason: 'Reden',
    allReasons: 'Alle redenen',
    resend: 'Mislukte facturen opnieuw verzenden',
    failuresCaption: 'Mislukte facturen, nieuwste eerst',
    invoice: 'Factuur',
    administration: 'Administratie',
    message: 'Melding',
    counts: 'Aantallen per status',
    countsCaption: 'Facturen per administratie per status',
    sentPerDay: 'Verzonden per dag per kanaal',
    status: 'Status',
    allStatuses: 'Alle statussen',
    search: 'Zoeken',
    show: 'Tonen',
    invoicesCaption: 'Wat de connector deed, nieuwste eerst',
    channel: 'Kanaal',
    planHelp: 'Een plan toont wat er nu met elke openstaande factuur zou gebeuren. Er wordt niets verzonden.',
    since: 'Achterstandsdatum (oudere facturen blijven liggen)',
    makePlan: 'Plan maken',
    activate: 'Activeren',
    planCaption: 'Per factuur: de uitkomst zoals die nu zou zijn',
    relation: 'Relatie',
    outcome: 'Uitkomst',
    forecast: 'Verwachting',
    recipients: 'Ontvangers',
    layouts: 'Lay-outs',
    when: 'Wanneer',
    relationsCaption: 'Per relatie: huidige factuurwijze en voorgesteld kanaal',
    current: 'Huidig',
    proposed: 'Voorgesteld',
    sendAll: 'Alle openstaande facturen verzenden',
    progress: 'Voortgang',
    licenceValid: 'Licentie geldig tot {date}',
    licenceInvalid: 'Licentie niet geldig ({reason})',
    connected: 'Exact Online gekoppeld',
    notConnected: 'Exact Online niet gekoppeld',
    on: 'aan',
    off: 'uit',
    since_: 'vanaf {date}',
    total: 'Totaal',
    day: 'Dag',
    printInvoices: 'Facturen printen',
    planned: '{n} openstaande facturen: {counts}',
    plannedOne: '1 openstaande factuur: {counts}',
    nothing: 'De afgelopen 14 dagen niets verzonden.',
    chartLabel: 'Verzonden facturen per dag per kanaal, laatste 14 dagen',
    none: 'geen',
    eta: '{done} van {total} ({percent} %), nog ongeveer {eta}',
    etaDaily: '; {n} wachten op het Exact-budget van morgen',
    done: 'Klaar: {done} van {total} (100 %)',
    summary: 'Samenvatting: {n} facturen — {counts}',
    summaryOne: 'Samenvatting: 1 factuur — {counts}',
    needSince: 'Kies eerst een achterstandsdatum.',
    confirmActivate: '{admin} aanzetten? Facturen van vóór {date} blijven liggen.',
    activated: '{admin} geactiveerd vanaf {date}; {n} oudere facturen blijven liggen.',
    activatedOne: '{admin} geactiveerd vanaf {date}; 1 oudere factuur blijft liggen.',
    backlog: 'Blijven liggen (vóór de activeringsdatum)',
    error: 'De connector weigerde: {error}',
    nothingToResend: 'Geen mislukte factuur om opnieuw te verzenden.',
    working: 'Bezig…',
    signIn: 'Aanmelden…',
  },
};

// What a dispatch state is called: the Dynamics app's own labels of Dispatch status
// (src/adapters/dataverse/vocabulary/tables.ts, Dutch in solution/columnText.ts), so the console and Dynamics
// say the same. An email on its way is "Sending" there (src/domain/lifecycle.ts). The API keeps the machine value.
const STATES = {
  en: {
    waiting: 'Waiting',
    scheduled: 'Scheduled',
    sending: 'Sending',
    mailing: 'Sending',
    sent: 'Sent',
    ignored: 'Ignored',
    failed: 'Failed',
    optedOut: 'Opted out',
    review: 'Review',
    printList: 'On print list',
  },
  nl: {
    waiting: 'Wacht',
    scheduled: 'Gepland',
    sending: 'Wordt verzonden',
    mailing: 'Wordt verzonden',
    sent: 'Verzonden',
    ignored: 'Genegeerd',
    failed: 'Mislukt',
    optedOut: 'Afgemeld',
    review: 'Wacht op controle',
    printList: 'Op printlijst',
  },
};

// A plan's outcomes are a forecast: nothing went out yet (decision 0146). The API keeps the machine value.
const FORECAST = {
  en: {
    sent: 'would be sent',
    printList: 'would go on print list',
    scheduled: 'would be scheduled',
    review: 'would wait for review',
    mailing: 'email on its way',
    failed: 'would fail',
    ignored: 'would be ignored',
    optedOut: 'would stay (opted out)',
    busy: 'busy',
    skipped: 'would be skipped',
  },
  nl: {
    sent: 'zou worden verzonden',
    printList: 'zou op de printlijst komen',
    scheduled: 'zou worden ingepland',
    review: 'zou wachten op controle',
    mailing: 'e-mail onderweg',
    failed: 'zou mislukken',
    ignored: 'zou worden genegeerd',
    optedOut: 'zou blijven liggen (uitgezet)',
    busy: 'bezig',
    skipped: 'zou worden overgeslagen',
  },
};

let lang = 'en';

export function setLanguage(l) {
  lang = WORDS[l] ? l : 'en';
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]'))
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

export const language = () => lang;

/** A word with `{name}` filled in. */
export function t(key, values = {}) {
  const text = WORDS[lang][key] ?? WORDS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));
}

/** `t`, with the key's singular form (`<key>One`) when `n` is 1 and the language has one. */
export function tn(key, n, values = {}) {
  const one = `${key}One`;
  return t(n === 1 && (WORDS[lang][one] ?? WORDS.en[one]) ? one : key, { ...values, n });
}

/** What a dispatch state or outcome is called (a state the console does not know keeps its machine name). */
export function stateWord(state) {
  return STATES[lang][state] ?? STATES.en[state] ?? state;
}

/** What a plan says would happen to an invoice with this outcome. */
export function forecastOf(outcome) {
  return FORECAST[lang][outcome] ?? FORECAST.en[outcome] ?? outcome;
}
