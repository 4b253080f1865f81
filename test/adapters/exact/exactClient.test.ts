/** Wire shape and retry behaviour of the gateway, with chained nock replies. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import {
  ExactRateLimitError,
  ExactServerError,
  ExactTimeoutError,
  ExactValidationError,
} from '../../../src/adapters/exact/errors';
import { chunkIds, createExactGateway, printBody } from '../../../src/adapters/exact/exactClient';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';
import type { PrintRequest } from '../../../src/app/ports';

const BASE = 'https://start.exactonline.nl';
const DIV = 101;
const id = (n: number) => `33333333-0000-0000-0000-${String(n).padStart(12, '0')}`;
const row = (n: number, status = 20) => ({
  InvoiceID: id(n),
  Status: status,
  InvoiceNumber: status === 50 ? 25000000 + n : null,
  InvoiceDate: '/Date(1740787200000)/',
  InvoiceTo: '11111111-0000-0000-0000-000000000001',
  InvoiceToName: 'Jansen',
  Type: 8020,
  Description: null,
  OrderNumber: null,
});

function gateway(tokens = ['tok-1', 'tok-2']) {
  const given: (string | undefined)[] = [];
  let i = 0;
  const provider = {
    getAccessToken: async (_c: string, o?: { rejected?: string }) => {
      given.push(o?.rejected);
      if (o?.rejected) i++;
      return tokens[Math.min(i, tokens.length - 1)]!;
    },
  };
  const sleeps: number[] = [];
  const client = createExactGateway({
    baseUrl: BASE,
    connectionId: 'c1',
    tokens: provider,
    governor: createRateGovernor({ sleep: async () => undefined }),
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0,
    timeoutMs: 2000,
  });
  return { client, given, sleeps };
}

const email: PrintRequest = {
  invoiceId: id(1),
  channel: 'email',
  documentLayout: '22222222-0000-0000-0000-000000000001',
  emailLayout: '22222222-0000-0000-0000-000000000002',
  extraText: 'Bedankt',
  senderEmail: 'facturen@bakkerij.test',
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('confirmStatuses', () => {
  test('when two ids are confirmed, then ONE GET with $select, an or-filter and the mandatory headers is made', async () => {
    const scope = nock(BASE, {
      reqheaders: {
        accept: 'application/json',
        'content-type': 'application/json',
        prefer: 'return=representation',
        authorization: 'Bearer tok-1',
      },
    })
      .get(`/api/v1/${DIV}/salesinvoice/SalesInvoices`)
      .query((q) => {
        expect(q.$select).toBe(
          'InvoiceID,Status,InvoiceNumber,InvoiceDate,InvoiceTo,InvoiceToContactPerson,InvoiceToName,Type,Description,OrderNumber',
        );
        expect(q.$filter).toBe(`InvoiceID eq guid'${id(1)}' or InvoiceID eq guid'${id(2)}'`);
        return true;
      })
      .reply(200, {
        d: {
          results: [
            { ...row(1), InvoiceToContactPerson: '44444444-0000-0000-0000-00000000000A' },
            row(2, 50),
          ],
        },
      });
    const { client } = gateway();
    const states = await client.confirmStatuses(DIV, [id(1), id(2).toUpperCase()]);
    scope.done();
    expect(states.get(id(1))).toEqual({
      invoiceId: id(1),
      status: 20,
      invoiceNumber: null,
      invoiceDate: '2025-03-01',
      invoiceTo: '11111111-0000-0000-0000-000000000001',
      invoiceToContactPerson: '44444444-0000-0000-0000-00000000000a',
      invoiceToName: 'Jansen',
      type: 8020,
      description: null,
      orderNumber: null,
      origin: 'manual',
      creditNote: false,
    });
    expect(states.get(id(2))).toMatchObject({ status: 50, invoiceToContactPerson: null });
    expect(client.stats().calls).toBe(1);
  });

  test('when 130 ids are confirmed, then they go in chunks of 60 and absent ids are simply missing', async () => {
    const seen: number[] = [];
    nock(BASE)
      .get(`/api/v1/${DIV}/salesinvoice/SalesInvoices`)
      .query(true)
      .times(3)
      .reply(200, (uri) => {
        const filter = new URL(uri, BASE).searchParams.get('$filter') ?? '';
        const n = filter.split(' or ').length;
        seen.push(n);
        return { d: { results: [] } };
      });
    const { client } = gateway();
    const states = await client.confirmStatuses(
      DIV,
      Array.from({ length: 130 }, (_, i) => id(i + 1)),
    );
    expect(seen).toEqual([60, 60, 10]);
    expect(states.size).toBe(0);
  });

  test('when an id is not a GUID, then nothing is sent (no filter injection) and a validation error is thrown', async () => {
    const { client } = gateway();
    await expect(client.confirmStatuses(DIV, ["x' or 1 eq 1"])).rejects.toBeInstanceOf(ExactValidationError);
    expect(client.stats().calls).toBe(0);
  });

  test('when Exact answers 503 then 200, then the GET is retried after a backoff and succeeds', async () => {
    nock(BASE)
      .get(/SalesInvoices/)
      .reply(503, { error: { message: { value: 'Service unavailable.' } } });
    nock(BASE)
      .get(/SalesInvoices/)
      .reply(200, { d: { results: [row(1)] } });
    const { client, sleeps } = gateway();
    const states = await client.confirmStatuses(DIV, [id(1)]);
    expect(states.size).toBe(1);
    expect(sleeps).toEqual([250]);
    expect(client.stats().byStatus).toEqual({ '200': 1, '503': 1 });
  });

  test('when Exact answers 400, then the GET is not retried', async () => {
    const scope = nock(BASE)
      .get(/SalesInvoices/)
      .reply(400, { error: { message: { value: "No property 'X' exists" } } });
    const { client } = gateway();
    await expect(client.confirmStatuses(DIV, [id(1)])).rejects.toThrow("No property 'X' exists");
    scope.done();
    expect(client.stats().calls).toBe(1);
  });

  test('when Exact answers 401, then one forced refresh happens and the call is repeated with the new token', async () => {
    nock(BASE, { reqheaders: { authorization: 'Bearer tok-1' } })
      .get(/SalesInvoices/)
      .reply(401, { error: { message: { value: 'Unauthorized' } } });
    nock(BASE, { reqheaders: { authorization: 'Bearer tok-2' } })
      .get(/SalesInvoices/)
      .reply(200, { d: { results: [] } });
    const { client, given } = gateway();
    await client.confirmStatuses(DIV, [id(1)]);
    expect(given).toEqual([undefined, 'tok-1']);
  });
});

describe('print', () => {
  test.each([
    [
      'email',
      { SendEmailToCustomer: true, EmailLayout: email.emailLayout, SenderEmailAddress: email.senderEmail },
    ],
    ['postbox', { SendInvoiceToCustomerPostbox: true }],
    ['peppol', { SendInvoiceViaPeppol: true }],
    ['paper', {}],
  ] as const)(
    'when the channel is %s, then exactly its flag is posted and never SendOutputBasedOnAccount',
    (channel, flags) => {
      const body = printBody({ ...email, channel });
      expect(body).toEqual({
        InvoiceID: id(1),
        DocumentLayout: email.documentLayout,
        ExtraText: 'Bedankt',
        ...flags,
      });
    },
  );

  test('when Exact answers 201 with the channel error empty, then the print is ok', async () => {
    const scope = nock(BASE)
      .post(
        `/api/v1/${DIV}/salesinvoice/PrintedSalesInvoices`,
        (b) => b.SendEmailToCustomer === true && !('SendOutputBasedOnAccount' in b),
      )
      .reply(201, {
        d: { InvoiceID: id(1), EmailCreationError: null, EmailCreationSuccess: 'Email created.' },
      });
    const { client } = gateway();
    await expect(client.print(DIV, email)).resolves.toEqual({ ok: true });
    scope.done();
  });

  test('when Exact answers 201 with the chosen channel error filled, then the outcome carries Exact text', async () => {
    nock(BASE)
      .post(/PrintedSalesInvoices/)
      .reply(201, { d: { EmailCreationError: "No email address for account 'Jansen'." } });
    const { client } = gateway();
    await expect(client.print(DIV, email)).resolves.toEqual({
      ok: false,
      channelError: "No email address for account 'Jansen'.",
    });
  });

  test('when paper is printed and DocumentCreationError is filled, then the outcome is a failure', async () => {
    nock(BASE)
      .post(/PrintedSalesInvoices/)
      .reply(201, { d: { DocumentCreationError: 'Layout not found', EmailCreationError: 'ignored' } });
    const { client } = gateway();
    await expect(client.print(DIV, { ...email, channel: 'paper' })).resolves.toEqual({
      ok: false,
      channelError: 'Layout not found',
    });
  });

  test('when the POST connection is reset after sending, then answerLost is thrown and the POST is not repeated', async () => {
    // nock cannot drop a socket mid-request, so a real server on port 0 does it.
    let posts = 0;
    const server = http.createServer((req) => {
      posts++;
      req.socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    nock.enableNetConnect('127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const client = createExactGateway({
        baseUrl: `http://127.0.0.1:${port}`,
        connectionId: 'c1',
        tokens: { getAccessToken: async () => 'tok-1' },
        governor: createRateGovernor(),
        sleep: async () => undefined,
      });
      const err = await client.print(DIV, email).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExactTimeoutError);
      expect((err as ExactTimeoutError).answerLost).toBe(true);
      expect(posts).toBe(1);
      expect(client.stats()).toMatchObject({ calls: 1, lostAnswers: 1 });
    } finally {
      nock.disableNetConnect();
      await new Promise((r) => server.close(r));
    }
  });

  test('when the POST answers 503, then it is not repeated by the client (the caller confirms first)', async () => {
    nock(BASE)
      .post(/PrintedSalesInvoices/)
      .reply(503, {});
    const { client } = gateway();
    await expect(client.print(DIV, email)).rejects.toBeInstanceOf(ExactServerError);
    expect(client.stats().calls).toBe(1);
  });

  test('when the POST answers 429 then 201, then it is repeated after the reset (a 429 was not carried out)', async () => {
    nock(BASE)
      .post(/PrintedSalesInvoices/)
      .reply(
        429,
        {},
        { 'X-RateLimit-Minutely-Remaining': '0', 'X-RateLimit-Minutely-Reset': String(Date.now() + 5) },
      );
    nock(BASE)
      .post(/PrintedSalesInvoices/)
      .reply(201, { d: {} });
    const { client } = gateway();
    await expect(client.print(DIV, email)).resolves.toEqual({ ok: true });
    expect(client.stats().rateLimited).toBe(1);
  });

  test('when Exact blocks the endpoint (429 with Retry-After, no rate headers), then the error surfaces with retryAfterMs and no retry', async () => {
    const scope = nock(BASE)
      .post(/PrintedSalesInvoices/)
      .reply(429, { error: { message: { value: 'Too many errors' } } }, { 'Retry-After': '3600' });
    const { client } = gateway();
    const err = await client.print(DIV, email).catch((e: unknown) => e);
    scope.done();
    expect(err).toBeInstanceOf(ExactRateLimitError);
    expect((err as ExactRateLimitError).retryAfterMs).toBe(3_600_000);
    expect(client.stats().calls).toBe(1);
  });

  test('when the same invoice keeps getting a 500 with a message, then the third is a permanent validation error', async () => {
    nock(BASE)
      .post(/PrintedSalesInvoices/)
      .times(3)
      .reply(500, { error: { message: { value: 'Ongeldig: Factuur voor (Type)' } } });
    const { client } = gateway();
    const errors = [];
    for (let i = 0; i < 3; i++) errors.push(await client.print(DIV, email).catch((e: unknown) => e));
    expect(errors.map((e) => (e as Error).constructor.name)).toEqual([
      'ExactServerError',
      'ExactServerError',
      'ExactValidationError',
    ]);
    expect(errors.map((e) => (e as ExactServerError).transient)).toEqual([true, true, false]);
  });
});

describe('listOpenInvoices', () => {
  test('when the bulk endpoint pages with __next, then every row is yielded and a foreign __next is not followed', async () => {
    nock(BASE)
      .get(`/api/v1/${DIV}/bulk/SalesInvoice/SalesInvoices`)
      .query((q) => q.$filter === 'Status eq 20' && typeof q.$select === 'string' && !q.$skiptoken)
      .reply(200, {
        d: {
          results: [row(1), row(2)],
          __next: `${BASE}/api/v1/${DIV}/bulk/SalesInvoice/SalesInvoices?$skiptoken=x`,
        },
      });
    nock(BASE)
      .get(`/api/v1/${DIV}/bulk/SalesInvoice/SalesInvoices`)
      .query({ $skiptoken: 'x' })
      .reply(200, { d: { results: [row(3)], __next: 'https://evil.example/steal' } });
    const { client } = gateway();
    const ids: string[] = [];
    for await (const inv of client.listOpenInvoices(DIV)) ids.push(inv.invoiceId);
    expect(ids).toEqual([id(1), id(2), id(3)]);
    expect(client.stats().calls).toBe(2);
  });
});

describe('listOpenInvoices with processed invoices', () => {
  test('when numbers wait to be read back, then one listing asks for open invoices and those processed since then', async () => {
    const since = new Date('2026-12-01T08:15:30.123Z');
    nock(BASE)
      .get(`/api/v1/${DIV}/bulk/SalesInvoice/SalesInvoices`)
      .query(
        (q) =>
          q.$filter === "Status eq 20 or (Status eq 50 and Modified ge datetime'2026-12-01T08:15:30')" &&
          typeof q.$select === 'string',
      )
      .reply(200, { d: { results: [row(1), row(2)] } });
    const { client } = gateway();
    const ids: string[] = [];
    for await (const inv of client.listOpenInvoices(DIV, since)) ids.push(inv.invoiceId);
    expect(ids).toEqual([id(1), id(2)]);
    expect(client.stats().calls).toBe(1);
  });
});

describe('chunkIds', () => {
  test('when the URL limit is tighter than the id limit, then chunks shrink to fit', () => {
    const ids = Array.from({ length: 10 }, (_, i) => id(i));
    const chunks = chunkIds(ids, 60, 400, 'x'.repeat(100));
    expect(chunks.flat()).toEqual(ids);
    expect(chunks.length).toBeGreaterThan(1);
  });
});
