/** Wire edges of the master-data adapter that the sandbox does not produce, with nock. */
import nock from 'nock';
import { ExactServerError, ExactValidationError } from '../../../src/adapters/exact/errors';
import { createExactMasterData } from '../../../src/adapters/exact/masterData';
import { createRateGovernor } from '../../../src/adapters/exact/rateGovernor';

const BASE = 'https://start.exactonline.nl';
const DIV = 101;
const ID = '11111111-0000-0000-0000-000000000001';
const SYNC = `/api/v1/${DIV}/sync/CRM/Accounts`;

const md = () =>
  createExactMasterData({
    baseUrl: BASE,
    connectionId: 'c1',
    tokens: { getAccessToken: async () => 'tok' },
    governor: createRateGovernor({ sleep: async () => undefined }),
    sleep: async () => undefined,
    random: () => 0,
  });
const row = (timestamp: unknown) => ({ ID, Name: 'Jansen', Status: 'C', Timestamp: timestamp });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

test('when Exact refuses a PUT with 400 (a read-only field), then one request and an ExactValidationError with Exact’s text', async () => {
  const scope = nock(BASE)
    .put(`/api/v1/${DIV}/crm/Accounts(guid'${ID}')`, { Email: 'x@y.test' })
    .reply(400, { error: { code: '', message: { lang: '', value: "Property 'Modified' is read-only" } } });
  const client = md();
  const err = await client.updateAccount(DIV, ID, { email: 'x@y.test' }).catch((e: unknown) => e);
  scope.done();
  expect(err).toBeInstanceOf(ExactValidationError);
  expect((err as Error).message).toContain("Property 'Modified' is read-only");
  expect(client.stats().calls).toBe(1);
});

test('when Timestamp arrives as a safe JSON number, then the cursor is its decimal string', async () => {
  nock(BASE)
    .get(SYNC)
    .query(true)
    .reply(200, { d: { results: [row(123456789)] } });
  expect((await md().accountChanges(DIV, '5')).cursor).toBe('123456789');
});

test('when Timestamp arrives as a JSON number beyond 2^53, then the answer is refused as unreadable rather than a wrong cursor', async () => {
  nock(BASE)
    .get(SYNC)
    .query(true)
    .reply(200, `{"d":{"results":[{"ID":"${ID}","Name":"J","Status":"C","Timestamp":9007199254740993}]}}`, {
      'Content-Type': 'application/json',
    });
  await expect(md().accountChanges(DIV, '5')).rejects.toBeInstanceOf(ExactServerError);
});

test('when __next points to another host, then it is not followed', async () => {
  nock(BASE)
    .get(SYNC)
    .query(true)
    .reply(200, { d: { results: [row('7')], __next: 'https://evil.example/api/v1/101/sync/CRM/Accounts' } });
  const result = await md().accountChanges(DIV, '1');
  expect(result).toMatchObject({ cursor: '7', calls: 1 });
});

test('when a row lacks its ID, then the whole answer is refused with ExactServerError 502', async () => {
  nock(BASE)
    .get(SYNC)
    .query(true)
    .reply(200, { d: { results: [{ Name: 'x', Timestamp: '9' }] } });
  await expect(md().accountChanges(DIV, '1')).rejects.toMatchObject({ status: 502 });
});

test('when an account is written, then its telemetry and error-counting endpoint is `crm/Accounts`, without the id', async () => {
  nock(BASE).put(`/api/v1/${DIV}/crm/Accounts(guid'${ID}')`).reply(204);
  const names: string[] = [];
  const endpoints: string[] = [];
  const governor = createRateGovernor({ sleep: async () => undefined });
  const client = createExactMasterData({
    baseUrl: BASE,
    connectionId: 'c1',
    tokens: { getAccessToken: async () => 'tok' },
    governor: {
      ...governor,
      acquire: (key, endpoint) => (endpoints.push(endpoint), governor.acquire(key, endpoint)),
    },
    telemetry: { dependency: (c) => void names.push(c.name), metric: () => undefined },
  });
  await client.updateAccount(DIV, ID, { invoicingMethod: 2 });
  expect(names).toEqual(['PUT crm/Accounts']);
  expect(endpoints).toEqual(['crm/Accounts']);
});
