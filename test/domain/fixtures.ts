import type {
  AdministrationFacts,
  DecisionInput,
  InvoiceFacts,
  LicenceCheck,
  RelationFacts,
} from '../../src/domain';

export const NOW = new Date('2026-03-20T10:00:00Z');

export const VALID_LICENCE: Extract<LicenceCheck, { ok: true }> = {
  ok: true,
  licenceId: 'lic-1',
  organizationId: '5f2c1e9a-0000-4000-8000-000000000001',
  features: ['sales', 'recurring'],
  notBefore: null,
  expiresAt: new Date('2027-12-31T23:59:59Z'),
};

export function administration(over: Partial<AdministrationFacts> = {}): AdministrationFacts {
  return {
    id: 'adm-1',
    name: 'Jansen Holding',
    division: 123456,
    printInvoices: true,
    sources: [1, 2, 3, 4],
    channels: ['peppol', 'postbox', 'email', 'paper'],
    timing: 'immediate',
    timeZone: 'Europe/Amsterdam',
    defaultInvoiceMethod: null,
    defaultLayout: 'layout-admin',
    defaultEmailLayout: 'email-layout-admin',
    senderEmail: 'facturen@jansen.nl',
    extraText: 'Admin text',
    notifyEmail: 'it@jansen.nl',
    ...over,
  };
}

export function relation(over: Partial<RelationFacts> = {}): RelationFacts {
  return {
    id: 'rel-1',
    name: 'Bakkerij Jansen',
    exactAccountId: 'acc-1',
    autoInvoice: true,
    invoiceMethod: null,
    printAndSend: false,
    layout: null,
    emailLayout: null,
    invoiceEmail: null,
    peppolId: null,
    ...over,
  };
}

export function invoice(over: Partial<InvoiceFacts> = {}): InvoiceFacts {
  return {
    exactInvoiceId: 'inv-1',
    division: 123456,
    rowId: 'row-1',
    invoiceNumber: 26001,
    invoiceDate: '2026-03-20',
    source: 1,
    autoDispatch: true,
    extraText: null,
    exactStatus: 20,
    customerName: 'Bakkerij Jansen (Exact)',
    ...over,
  };
}

export interface Over {
  licence?: LicenceCheck;
  administration?: Partial<AdministrationFacts> | null;
  relation?: Partial<RelationFacts> | null;
  invoice?: Partial<InvoiceFacts>;
  now?: Date;
}

/** A sendable invoice (paper, immediately) unless `over` says otherwise. */
export function input(over: Over = {}): DecisionInput {
  return {
    licence: over.licence ?? VALID_LICENCE,
    administration: over.administration === null ? null : administration(over.administration),
    relation: over.relation === null ? null : relation(over.relation),
    invoice: invoice(over.invoice),
    now: over.now ?? NOW,
  };
}
