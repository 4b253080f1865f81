/**
 * The invoice views of PRODUCT.md §14 (savedquery, querytype 0 = public view): FetchXml that selects the
 * rows, LayoutXml that shows invoice, relation, channel, reason, message and sent on. FetchXml and
 * LayoutXml shapes: Microsoft's fetchxml reference (fetch, entity, attribute, order, filter, condition)
 * and the savedquery table's `layoutxml` (grid/row/cell).
 */
import type { TableDef } from '../vocabulary';
import { componentId, esc, type Labels } from './labels';

export const QUERY_TYPE_PUBLIC = 0;

/** Dispatch statuses (eol_dispatchstatus; 8 "review" is PRODUCT.md §12's, decision 0105). */
export const STATUS = { scheduled: 2, sent: 4, ignored: 5, failed: 6, optedOut: 7, review: 8 } as const;

type Condition =
  | { attribute: string; operator: 'eq' | 'ne'; value: number }
  | { attribute: string; operator: 'in'; values: readonly number[] }
  | { attribute: string; operator: 'last-x-days'; value: number }
  | { attribute: string; operator: 'null' | 'not-null' };

export interface ViewSpec {
  key: string;
  name: Labels;
  description: Labels;
  conditions: readonly Condition[];
  order: { attribute: string; descending: boolean };
  columns: readonly string[];
}

export interface ViewDef {
  id: string;
  key: string;
  table: string;
  name: Labels;
  description: Labels;
  fetchxml: string;
  layoutxml: string;
  /** Columns the view reads (attributes, conditions, order), for checks. */
  columns: string[];
}

const BASE_COLUMNS = [
  'eol_name',
  'eol_relationid',
  'eol_dispatchchannel',
  'eol_dispatchreason',
  'eol_dispatchmessage',
  'eol_senton',
] as const;

export const INVOICE_VIEWS: readonly ViewSpec[] = [
  {
    key: 'needsaction',
    name: { en: 'Needs action', nl: 'Actie nodig' },
    description: {
      en: 'Invoices AutoInvoice could not send: read the message, fix the cause, then Resend.',
      nl: 'Facturen die AutoInvoice niet kon verzenden: lees de toelichting, los de oorzaak op en kies Opnieuw verzenden.',
    },
    conditions: [{ attribute: 'eol_dispatchstatus', operator: 'eq', value: STATUS.failed }],
    order: { attribute: 'eol_invoicedate', descending: true },
    columns: BASE_COLUMNS,
  },
  {
    key: 'review',
    name: { en: 'Waiting for review', nl: 'Wacht op controle' },
    description: {
      en: 'Invoices whose Dynamics 365 email draft waits for a person to review and send it.',
      nl: 'Facturen waarvan het e-mailconcept in Dynamics 365 wacht tot iemand het nakijkt en verstuurt.',
    },
    // Apart from "Needs action": a draft asks a person to read and send an email, not to fix a failure (0105).
    conditions: [{ attribute: 'eol_dispatchstatus', operator: 'in', values: [STATUS.review] }],
    order: { attribute: 'eol_invoicedate', descending: true },
    columns: BASE_COLUMNS,
  },
  {
    key: 'scheduled',
    name: { en: 'Scheduled', nl: 'Gepland' },
    description: {
      en: 'Invoices AutoInvoice will send at the time shown; Hold keeps one back.',
      nl: 'Facturen die AutoInvoice op het getoonde moment verstuurt; Vasthouden houdt er een tegen.',
    },
    conditions: [{ attribute: 'eol_dispatchstatus', operator: 'eq', value: STATUS.scheduled }],
    order: { attribute: 'eol_scheduledfor', descending: false },
    columns: [...BASE_COLUMNS.slice(0, 5), 'eol_scheduledfor'],
  },
  {
    key: 'ignored',
    name: { en: 'Ignored', nl: 'Genegeerd' },
    description: {
      en: 'Invoices AutoInvoice leaves alone (a rule, or held by a person); the reason says why.',
      nl: 'Facturen die AutoInvoice laat liggen (een regel, of vastgehouden door iemand); de reden zegt waarom.',
    },
    conditions: [
      { attribute: 'eol_dispatchstatus', operator: 'in', values: [STATUS.ignored, STATUS.optedOut] },
    ],
    order: { attribute: 'eol_invoicedate', descending: true },
    columns: BASE_COLUMNS,
  },
  {
    key: 'sent30',
    name: { en: 'Sent (last 30 days)', nl: 'Verzonden (laatste 30 dagen)' },
    description: {
      en: 'Invoices AutoInvoice sent in the last 30 days, and where they went.',
      nl: 'Facturen die AutoInvoice de laatste 30 dagen verzond, en waarheen.',
    },
    conditions: [
      { attribute: 'eol_dispatchstatus', operator: 'eq', value: STATUS.sent },
      { attribute: 'eol_senton', operator: 'last-x-days', value: 30 },
    ],
    order: { attribute: 'eol_senton', descending: true },
    columns: BASE_COLUMNS,
  },
];

export function buildView(spec: ViewSpec, table: TableDef): ViewDef {
  const conditions = spec.conditions.map(conditionXml).join('');
  const fetchxml =
    `<fetch version="1.0" mapping="logical" distinct="false"><entity name="${table.name}">` +
    [table.primaryId, ...spec.columns].map((c) => `<attribute name="${esc(c)}" />`).join('') +
    `<order attribute="${esc(spec.order.attribute)}" descending="${spec.order.descending}" />` +
    `<filter type="and">${conditions}</filter></entity></fetch>`;
  const cells = spec.columns
    .map((c) => `<cell name="${esc(c)}" width="${c === 'eol_dispatchmessage' ? 300 : 150}" />`)
    .join('');
  const layoutxml =
    `<grid name="resultset" jump="${table.primaryName}" select="1" icon="1" preview="1">` +
    `<row name="result" id="${table.primaryId}">${cells}</row></grid>`;
  const columns = [
    ...new Set([...spec.columns, ...spec.conditions.map((c) => c.attribute), spec.order.attribute]),
  ];
  return {
    id: componentId('savedquery', `${table.name}.${spec.key}`),
    key: spec.key,
    table: table.name,
    name: spec.name,
    description: spec.description,
    fetchxml,
    layoutxml,
    columns,
  };
}

function conditionXml(c: Condition): string {
  const head = `<condition attribute="${esc(c.attribute)}" operator="${c.operator}"`;
  if (c.operator === 'in')
    return `${head}>${c.values.map((v) => `<value>${v}</value>`).join('')}</condition>`;
  if ('value' in c) return `${head} value="${c.value}" />`;
  return `${head} />`;
}
