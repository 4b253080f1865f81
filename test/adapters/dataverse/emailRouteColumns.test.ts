import { startDataverseSandbox, type DataverseSandbox } from '../../../sandbox/dataverse';
import { createDataverseGateway, type DataverseGateway } from '../../../src/adapters/dataverse';
import { DataverseValidationError } from '../../../src/adapters/dataverse/errors';
import { emailRouteOf } from '../../../src/domain';
import { DISPATCH_STATUS } from '../../../src/domain/types';

/**
 * PRODUCT.md §12's columns as the gateway reads and writes them (decision 0105): the administration's
 * route, template, mailbox, review and copies; the relation's overrides, its account and its invoice
 * account's address; the invoice's own recipients and the email that carried it.
 */
const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const TENANT = '11111111-1111-4111-8111-111111111111';
const SECRET = 'email-route-columns-secret';
const ADMIN = 'aaaaaaaa-0000-4000-8000-000000000015';
const REL = 'bbbbbbbb-0000-4000-8000-000000000015';
const PAYER = 'bbbbbbbb-0000-4000-8000-000000000016';
const ROW = 'cccccccc-0000-4000-8000-000000000015';
const ACCOUNT = '99999999-0000-4000-8000-000000000015';
const TEMPLATE = '77777777-0000-4000-8000-000000000015';
const QUEUE = '66666666-0000-4000-8000-000000000015';
const EMAIL = '55555555-0000-4000-8000-000000000015';

let sb: DataverseSandbox;
let gw: DataverseGateway;

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ tenantId: TENANT, clientId: CLIENT_ID, clientSecret: SECRET });
});
afterAll(() => sb.close());

beforeEach(() => {
  sb.reset();
  gw = createDataverseGateway({
    serverUrl: sb.url,
    authority: sb.authority,
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    extraCaPem: sb.caCertPem,
    sleep: async () => undefined,
  });
  sb.seed({
    accounts: [{ accountid: ACCOUNT, name: 'Jansen BV' }],
    emails: [{ activityid: EMAIL, subject: 'Factuur 2025001' }],
    eol_administrations: [
      {
        eol_administrationid: ADMIN,
        eol_name: 'Bakkerij BV',
        eol_division: 15,
        eol_emailroute: 2,
        _eol_emailtemplateid_value: TEMPLATE,
        _eol_mailboxid_value: QUEUE,
        eol_emailreview: true,
        eol_emailcc: 'administratie@bakkerij.nl',
        eol_emailbcc: ' ',
      },
    ],
    eol_relations: [
      {
        eol_relationid: PAYER,
        eol_name: 'Jansen Holding',
        _eol_administrationid_value: ADMIN,
        eol_exactaccountid: 'ffffffff-0000-4000-8000-000000000016',
        eol_invoicemethod: 2,
        eol_invoiceemail: 'crediteuren@jansen-holding.nl',
      },
      {
        eol_relationid: REL,
        eol_name: 'Piet Jansen',
        _eol_administrationid_value: ADMIN,
        _eol_accountid_value: ACCOUNT,
        _eol_invoiceaccountid_value: PAYER,
        eol_exactaccountid: 'ffffffff-0000-4000-8000-000000000015',
        eol_emailroute: 1,
        eol_emailreview: 2,
      },
    ],
    eol_salesinvoices: [
      {
        eol_salesinvoiceid: ROW,
        eol_name: 'concept 15',
        eol_exactinvoiceid: 'eeeeeeee-0000-4000-8000-000000000015',
        _eol_administrationid_value: ADMIN,
        _eol_relationid_value: REL,
        eol_recipients: 'piet@jansen.nl; boekhouding@jansen.nl',
      },
    ],
  });
});

describe('the Dynamics email route columns (PRODUCT.md §12)', () => {
  test("when an invoice's context is loaded, then one GET maps every §12 column of the invoice, its relation and its administration", async () => {
    const ctx = await gw.records.loadContext(ROW);
    expect(ctx?.administration).toMatchObject({
      emailRoute: 'dynamics',
      emailTemplateId: TEMPLATE,
      mailboxId: QUEUE,
      emailReview: true,
      emailCc: 'administratie@bakkerij.nl',
      // A blank column is no address.
      emailBcc: null,
    });
    expect(ctx?.relation).toMatchObject({
      emailRoute: 'exact',
      emailReview: false,
      accountId: ACCOUNT,
      invoiceAccountMethod: 2,
      invoiceAccountEmail: 'crediteuren@jansen-holding.nl',
    });
    expect(ctx?.invoice).toMatchObject({
      recipients: 'piet@jansen.nl; boekhouding@jansen.nl',
      emailId: null,
    });
    expect(gw.calls()).toBe(1);
  });

  test("when a relation leaves its route and review empty, then both are null (the administration's apply) and a relation without an invoice account has no invoice account address", async () => {
    const relations = await gw.directory.relations(ADMIN);
    const payer = relations.find((r) => r.id === PAYER)!;
    expect(payer).toMatchObject({ emailRoute: null, emailReview: null, accountId: null });
    expect(payer).not.toHaveProperty('invoiceAccountEmail');
    expect(relations.find((r) => r.id === REL)).toMatchObject({
      invoiceAccountEmail: 'crediteuren@jansen-holding.nl',
    });
  });

  test('when an administration leaves the §12 columns empty, then the route is Exact Online without review, template, mailbox or copies', async () => {
    sb.seed({
      eol_administrations: [
        { eol_administrationid: 'aaaaaaaa-0000-4000-8000-000000000099', eol_name: 'Leeg', eol_division: 99 },
      ],
    });
    const admin = (await gw.directory.administrations()).find((a) => a.division === 99);
    // Empty stays empty here: the default is the domain's rule, applied where the route is chosen.
    expect(emailRouteOf(null, admin!)).toBe('exact');
    expect(admin).toMatchObject({
      emailRoute: null,
      emailTemplateId: null,
      mailboxId: null,
      emailReview: false,
      emailCc: null,
      emailBcc: null,
    });
  });

  test('when a review status is written with an email id, then one PATCH binds eol_emailid to /emails(<id>) and the row reads it back', async () => {
    const before = sb.requests().length;
    await gw.records.writeDispatch(ROW, {
      status: DISPATCH_STATUS.review,
      channel: 'email',
      reason: 'sent',
      message: 'Concept wacht op controle',
      scheduledFor: null,
      sentOn: null,
      attempts: 1,
      emailId: EMAIL.toUpperCase(),
    });
    const patches = sb
      .requests()
      .slice(before)
      .filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toMatchObject({
      eol_dispatchstatus: 8,
      'eol_emailid@odata.bind': `/emails(${EMAIL})`,
    });
    expect(sb.row('eol_salesinvoices', ROW)).toMatchObject({
      eol_dispatchstatus: 8,
      _eol_emailid_value: EMAIL,
    });
    expect((await gw.records.loadContext(ROW))?.invoice).toMatchObject({ dispatchStatus: 8, emailId: EMAIL });
  });

  test('when a later status is written without an email id, then the link to the email stays', async () => {
    const write = { channel: 'email', reason: 'sent', message: '', scheduledFor: null, attempts: 1 } as const;
    await gw.records.writeDispatch(ROW, { ...write, status: 8, sentOn: null, emailId: EMAIL });
    await gw.records.writeDispatch(ROW, { ...write, status: 4, sentOn: new Date('2025-04-01T08:00:00Z') });
    const last = sb
      .requests()
      .filter((r) => r.method === 'PATCH')
      .at(-1)!;
    expect(Object.keys(last.body as object)).not.toContain('eol_emailid@odata.bind');
    expect(sb.row('eol_salesinvoices', ROW)).toMatchObject({
      eol_dispatchstatus: 4,
      _eol_emailid_value: EMAIL,
    });
  });

  test('when the email id is no GUID, then writeDispatch refuses it before any request', async () => {
    const before = sb.requests().length;
    const err = await gw.records
      .writeDispatch(ROW, {
        status: 8,
        channel: 'email',
        reason: 'sent',
        message: '',
        scheduledFor: null,
        sentOn: null,
        attempts: 1,
        emailId: "x')/../accounts(",
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataverseValidationError);
    expect(sb.requests().length).toBe(before);
  });

  test('when the email to link does not exist, then Dataverse refuses the bind and the status is not written', async () => {
    const err = await gw.records
      .writeDispatch(ROW, {
        status: 8,
        channel: 'email',
        reason: 'sent',
        message: '',
        scheduledFor: null,
        sentOn: null,
        attempts: 1,
        emailId: '55555555-0000-4000-8000-0000000000ff',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(sb.row('eol_salesinvoices', ROW)).not.toHaveProperty('eol_dispatchstatus', 8);
  });
});
