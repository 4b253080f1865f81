/**
 * The webhook's edge (functions/dataverseWebhook.ts): what Dataverse may send is accepted, whatever no
 * Dataverse sends is refused with a 4xx that says why — before anything is enqueued.
 */
import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { DispatchQueue, DispatchRequest } from '../../src/app/ports';
import { setRuntime } from '../../src/composition/runtime';
import { dataverseWebhook } from '../../functions/dataverseWebhook';
import { DEMO_ORGANIZATION_ID } from '../../sandbox/seed/demo';
import {
  buildRemoteExecutionContext,
  serialiseLikeDataverse,
} from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';

const env = useLocalStack();
let enqueued: Array<{ request: DispatchRequest; messageId: string }> = [];
const counting: DispatchQueue = {
  enqueue: async (request, o) => void enqueued.push({ request, messageId: o.messageId }),
};

beforeEach(() => {
  enqueued = [];
  setRuntime({ ...env.stack.runtime, queue: counting });
});
afterAll(() => setRuntime(env.stack.runtime));

function post(body: string, headers: Record<string, string> = {}) {
  return dataverseWebhook(
    new HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1:7071/api/dataverse/webhook',
      headers: { 'content-type': 'application/json', 'x-autoinvoice-key': 'demo-secret', ...headers },
      body: { string: body },
    }),
    new InvocationContext({ functionName: 'dataverseWebhook', logHandler: () => undefined }),
  );
}

const ADMIN = '0b1c2d3e-0000-4000-8000-00000000000a';
function context(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...buildRemoteExecutionContext({
      organizationId: DEMO_ORGANIZATION_ID,
      entityId: randomUUID(),
      attributes: {
        eol_exactinvoiceid: randomUUID(),
        eol_autodispatch: true,
        eol_administrationid: { lookup: 'eol_administration', id: ADMIN },
      },
    }),
    ...overrides,
  };
}

describe('the webhook refuses bodies no Dataverse sends', () => {
  test('when one attribute holds an array nested 100,000 deep, then 400 says the body nests too deep and nothing is enqueued', async () => {
    const body = serialiseLikeDataverse(context()).replace(
      '"value":true',
      `"value":${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    );
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.jsonBody).toEqual({
      error: expect.stringMatching(/malformed RemoteExecutionContext: body nests deeper than 64 levels/),
    });
    expect(enqueued).toHaveLength(0);
  });
});

describe('the webhook accepts what Dataverse sends', () => {
  const dropped = ['ParentContext', 'InputParameters', 'PreEntityImages', 'PostEntityImages'] as const;
  test.each([
    ['null', null],
    ['absent', undefined],
    ['[]', []],
  ])(
    'when a truncated context brings its dropped collections as %s, then 202 and the row is enqueued for a re-read',
    async (_form, value) => {
      const body = context();
      for (const k of dropped) {
        if (value === undefined) delete body[k];
        else body[k] = k === 'ParentContext' && Array.isArray(value) ? null : value;
      }
      const res = await post(serialiseLikeDataverse(body), { 'x-ms-dynamics-msg-size-exceeded': 'true' });
      expect(res).toMatchObject({ status: 202, jsonBody: { accepted: true } });
      expect(enqueued.map((e) => (e.request.kind === 'rows' ? e.request.rowIds[0] : null))).toEqual([String(body.PrimaryEntityId)]);
    },
  );
});

describe('the webhook refuses identifiers that are not GUIDs', () => {
  test.each([
    ['PrimaryEntityId', '-'.repeat(36)],
    ['PrimaryEntityId', 'a'.repeat(36)],
    ['PrimaryEntityId', '0b1c2d3e-0000-4000-8000-00000000000a-'.slice(1)],
    ['OrganizationId', '-'.repeat(36)],
  ])('when %s is %s, then 400 names the field and nothing is enqueued', async (field, value) => {
    const res = await post(serialiseLikeDataverse(context({ [field]: value })));
    expect(res).toMatchObject({
      status: 400,
      jsonBody: { error: `malformed RemoteExecutionContext: ${field}: ${field} must be a GUID` },
    });
    expect(enqueued).toHaveLength(0);
  });
});
