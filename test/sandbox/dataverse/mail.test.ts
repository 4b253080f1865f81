import { ConfidentialClientApplication } from '@azure/msal-node';
import { DynamicsWebApi } from 'dynamics-web-api';
import { startDataverseSandbox, type DataverseSandbox } from '../../../sandbox/dataverse';
import { createMsalNetworkClient } from '../../../src/adapters/dataverse/msalNetwork';

const CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const SECRET = 'sandbox-mail-test-secret';
const INVOICE = 'cccccccc-0000-4000-8000-000000000001';
const TEMPLATE = 'dddddddd-0000-4000-8000-000000000001';
const ACCOUNT_TEMPLATE = 'dddddddd-0000-4000-8000-000000000002';
const QUEUE = 'eeeeeeee-0000-4000-8000-000000000001';
const CONTACT = 'ffffffff-0000-4000-8000-000000000001';
const EMAIL = (n: number) => `abababab-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PDF = Buffer.from('%PDF-1.4\n% invoice 2026001\n%%EOF\n');

let sb: DataverseSandbox;
let api: DynamicsWebApi;
/** The same client without the library's legacy "412 on If-None-Match → null": the error comes through. */
let strict: DynamicsWebApi;

beforeAll(async () => {
  delete process.env.http_proxy;
  delete process.env.https_proxy;
  sb = await startDataverseSandbox({ clientId: CLIENT_ID, clientSecret: SECRET });
  const cca = new ConfidentialClientApplication({
    auth: {
      authority: sb.authority,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      knownAuthorities: [new URL(sb.authority).host],
    },
    system: { networkClient: createMsalNetworkClient(sb.caCertPem) },
  });
  const scope = `${sb.url.replace(/\/$/, '')}/.default`;
  const onTokenRefresh = async () =>
    (await cca.acquireTokenByClientCredential({ scopes: [scope] }))?.accessToken ?? null;
  api = new DynamicsWebApi({ serverUrl: sb.url, onTokenRefresh });
  strict = new DynamicsWebApi({ serverUrl: sb.url, onTokenRefresh, propagateErrors: true });
});
afterAll(() => sb.close());

beforeEach(() => {
  sb.reset();
  sb.seed({
    eol_salesinvoices: [{ eol_salesinvoiceid: INVOICE, eol_name: 'Concept 7', eol_invoicenumber: 2026001 }],
    templates: [
      {
        templateid: TEMPLATE,
        title: 'Factuur',
        templatetypecode: 'eol_salesinvoice',
        subject: 'Factuur {!eol_salesinvoice:eol_invoicenumber;} van Bakkerij',
        body: '<p>Beste klant, bijgaand {!eol_salesinvoice:eol_name;uw factuur}. {!account:name;Groet}</p>',
        languagecode: 1043,
        ispersonal: false,
      },
      { templateid: ACCOUNT_TEMPLATE, title: 'Klant', templatetypecode: 'account', subject: 'Hi' },
    ],
    queues: [{ queueid: QUEUE, name: 'Facturatie', emailaddress: 'facturen@bakkerij.nl' }],
    accounts: [{ accountid: 'a1a1a1a1-0000-4000-8000-000000000001', name: 'Jansen' }],
    contacts: [{ contactid: CONTACT, fullname: 'Piet Jansen', emailaddress1: 'piet@jansen.nl' }],
  });
});

const instantiate = (TemplateId: string) =>
  api.callAction({
    actionName: 'InstantiateTemplate',
    action: { TemplateId, ObjectType: 'eol_salesinvoice', ObjectId: INVOICE },
  });

const draft = (id: string, parties: object[] = []) =>
  api.upsert({
    collection: 'emails',
    key: id,
    ifnonematch: '*',
    data: {
      subject: 'Factuur 2026001',
      description: '<p>Bijgaand</p>',
      'regardingobjectid_eol_salesinvoice@odata.bind': `/eol_salesinvoices(${INVOICE})`,
      email_activity_parties: [
        { participationtypemask: 1, 'partyid_queue@odata.bind': `/queues(${QUEUE})` },
        {
          participationtypemask: 2,
          addressused: 'piet@jansen.nl',
          'partyid_contact@odata.bind': `/contacts(${CONTACT})`,
        },
        ...parties,
      ],
    },
  });

const attach = (emailId: string, id: string, bytes = PDF) =>
  api.upsert({
    collection: 'activitymimeattachments',
    key: id,
    ifnonematch: '*',
    data: {
      filename: 'Factuur 2026001.pdf',
      mimetype: 'application/pdf',
      body: bytes.toString('base64'),
      objecttypecode: 'email',
      'objectid_activitypointer@odata.bind': `/activitypointers(${emailId})`,
    },
  });

const send = (id: string) =>
  api.callAction({
    collection: 'emails',
    key: id,
    actionName: 'Microsoft.Dynamics.CRM.SendEmail',
    action: { IssueSend: true },
  });

describe('Dataverse sandbox: Dynamics 365 email', () => {
  test('when a template for the invoice table is instantiated, then its data fields are filled from the row and no email is created', async () => {
    const out = (await instantiate(TEMPLATE)) as { value: Array<{ subject: string; description: string }> };
    expect(out.value).toHaveLength(1);
    expect(out.value[0]!.subject).toBe('Factuur 2026001 van Bakkerij');
    expect(out.value[0]!.description).toBe('<p>Beste klant, bijgaand Concept 7. Groet</p>');
    expect(sb.rows('emails')).toEqual([]);
  });

  test('when a template for another table is instantiated for an invoice, then Dataverse refuses it; a missing template is 404', async () => {
    await expect(instantiate(ACCOUNT_TEMPLATE)).rejects.toMatchObject({ status: 400, code: '0x80040203' });
    await expect(instantiate('dddddddd-0000-4000-8000-0000000000ff')).rejects.toMatchObject({ status: 404 });
  });

  test('when the same draft is created twice with If-None-Match *, then one email exists and the second answers 412', async () => {
    await expect(draft(EMAIL(1))).resolves.toBe(EMAIL(1)); // 204 with OData-EntityId: created
    await expect(
      strict.upsert({ collection: 'emails', key: EMAIL(1), ifnonematch: '*', data: { subject: 'again' } }),
    ).rejects.toMatchObject({ status: 412, message: 'A record with matching key values already exists.' });
    expect(sb.mail.emailsRegarding(INVOICE)).toEqual([
      expect.objectContaining({
        activityid: EMAIL(1),
        subject: 'Factuur 2026001',
        statecode: 0,
        statuscode: 1,
      }),
    ]);
    expect(sb.mail.parties(EMAIL(1))).toEqual([
      { mask: 1, address: 'facturen@bakkerij.nl', partyType: 'queue', partyId: QUEUE },
      { mask: 2, address: 'piet@jansen.nl', partyType: 'contact', partyId: CONTACT },
    ]);
  });

  test('when a party binds a queue that does not exist or has an unknown mask, then the create is refused and nothing is stored', async () => {
    await expect(
      draft(EMAIL(2), [
        {
          participationtypemask: 3,
          'partyid_queue@odata.bind': '/queues(eeeeeeee-0000-4000-8000-0000000000ff)',
        },
      ]),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      draft(EMAIL(2), [{ participationtypemask: 13, addressused: 'x@y.nl' }]),
    ).rejects.toMatchObject({
      status: 400,
      code: '0x8004431a',
    });
    expect(sb.rows('emails')).toEqual([]);
  });

  test('when an attachment is upserted twice, then one attachment holds the bytes and filesize; on a sent email a new one is refused', async () => {
    await draft(EMAIL(3));
    await attach(EMAIL(3), EMAIL(31));
    await expect(attach(EMAIL(3), EMAIL(31), Buffer.from('other'))).resolves.toBeNull(); // 412: exists
    const [only, ...rest] = sb.mail.attachments(EMAIL(3));
    expect(rest).toEqual([]);
    expect(only!.bytes.equals(PDF)).toBe(true);
    expect(only).toMatchObject({
      fileName: 'Factuur 2026001.pdf',
      mimeType: 'application/pdf',
      fileSize: PDF.length,
    });
    await send(EMAIL(3));
    await expect(attach(EMAIL(3), EMAIL(32))).rejects.toMatchObject({ status: 400 });
    await expect(attach(EMAIL(9), EMAIL(33))).rejects.toMatchObject({ status: 404 });
  });

  test('when SendEmail hands a draft over, then it is Pending Send; sync per mailbox sends, fails or holds it', async () => {
    for (const n of [4, 5, 6]) await draft(EMAIL(n));
    await send(EMAIL(4));
    expect(sb.row('emails', EMAIL(4))).toMatchObject({ statecode: 1, statuscode: 6 });
    expect(sb.mail.runServerSideSync()).toEqual({ sent: 1, failed: 0, held: 0 });
    expect(sb.row('emails', EMAIL(4))).toMatchObject({
      statecode: 1,
      statuscode: 3,
      senton: expect.any(String),
    });
    sb.mail.setServerSideSync('fail', 'FACTUREN@bakkerij.nl');
    await send(EMAIL(5));
    sb.mail.setServerSideSync('hold');
    expect(sb.mail.runServerSideSync()).toEqual({ sent: 0, failed: 1, held: 0 });
    expect(sb.row('emails', EMAIL(5))).toMatchObject({ statecode: 0, statuscode: 8 });
    await expect(send(EMAIL(4))).rejects.toMatchObject({ status: 400 });
  });

  test('when a delay is configured, then server-side sync runs by itself after SendEmail', async () => {
    const demo = await startDataverseSandbox({ serverSideSync: { delayMs: 20 } });
    try {
      demo.seed({ queues: [{ queueid: QUEUE, name: 'Facturatie', emailaddress: 'facturen@bakkerij.nl' }] });
      const res = await fetch(`${demo.url}_sandbox/mail/mode`, {
        method: 'POST',
        body: JSON.stringify({ mode: 'send' }),
      });
      expect(res.status).toBe(204);
      demo.seed({
        emails: [
          {
            activityid: EMAIL(7),
            subject: 's',
            email_activity_parties: [{ participationtypemask: 2, addressused: 'a@b.nl' }],
          },
        ],
      });
      demo.mail.sendAsPerson(EMAIL(7));
      expect(demo.row('emails', EMAIL(7))).toMatchObject({ statuscode: 6 });
      await new Promise((r) => setTimeout(r, 80));
      expect(demo.row('emails', EMAIL(7))).toMatchObject({ statuscode: 3 });
    } finally {
      await demo.close();
    }
  });

  test('when a draft is updated with a party that does not exist, or an attachment of a sent email is changed, then Dataverse refuses it', async () => {
    await draft(EMAIL(10));
    await attach(EMAIL(10), EMAIL(101));
    const missing = {
      participationtypemask: 2,
      'partyid_contact@odata.bind': '/contacts(ffffffff-0000-4000-8000-0000000000ff)',
    };
    await expect(
      api.update({ collection: 'emails', key: EMAIL(10), data: { email_activity_parties: [missing] } }),
    ).rejects.toMatchObject({ status: 404 });
    expect(sb.mail.parties(EMAIL(10))).toHaveLength(2);
    await send(EMAIL(10));
    await expect(
      api.update({ collection: 'activitymimeattachments', key: EMAIL(101), data: { filename: 'other.pdf' } }),
    ).rejects.toMatchObject({ status: 400 });
    expect(sb.mail.attachments(EMAIL(10))).toEqual([
      expect.objectContaining({ fileName: 'Factuur 2026001.pdf' }),
    ]);
  });

  test('when a person deletes a draft, then reading it is 404 and its attachments are gone', async () => {
    await draft(EMAIL(8));
    await attach(EMAIL(8), EMAIL(81));
    await api.deleteRecord({ collection: 'emails', key: EMAIL(8) });
    await expect(api.retrieve({ collection: 'emails', key: EMAIL(8) })).rejects.toMatchObject({
      status: 404,
    });
    expect(sb.rows('activitymimeattachments')).toEqual([]);
  });
});
