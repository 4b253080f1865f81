/**
 * Fuzzing the Dataverse webhook (functions/dataverseWebhook.ts) with hostile and malformed requests, against
 * the real runtime of a local stack (two tenants of the licence showcase included, so foreign keys exist).
 * Every generated request is one the connector must refuse: wrong or near-miss keys, bodies that are not
 * JSON or not a RemoteExecutionContext, contexts with fields removed or mistyped, events of another
 * organisation, announced sizes beyond the limit, attributes nested far deeper than any event (up to 100,000
 * levels of arrays or objects), with random extra headers and query parameters throughout.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { DispatchQueue } from '../../src/app/ports';
import { setRuntime } from '../../src/composition/runtime';
import { dataverseWebhook } from '../../functions/dataverseWebhook';
import { buildRemoteExecutionContext, serialiseLikeDataverse } from '../../sandbox/seed/remoteExecutionContext';
import { useLocalStack } from '../support/localStack';

const RUNS = 10_000;
const REQUIRED = ['MessageName', 'PrimaryEntityName', 'PrimaryEntityId', 'OrganizationId'] as const;

const ctx = useLocalStack({ showcase: true });

const ascii = (maxLength = 60) => fc.string({ unit: 'grapheme-ascii', maxLength });
const guid = fc.uuid();

type Case = { category: string; key: string | null; viaQuery: boolean; body: string; headers: Record<string, string>; query: Record<string, string> };

function validContext(organizationId: string, entityId: string): Record<string, unknown> {
  return buildRemoteExecutionContext({ organizationId, entityId, attributes: { eol_exactinvoiceid: randomUUID(), eol_autodispatch: true } });
}

function hostileRequests(demo: { secret: string; organizationId: string }, others: Array<{ secret: string; organizationId: string }>, allSecrets: string[]): fc.Arbitrary<Case> {
  const isSecret = (k: string) => allSecrets.includes(k.trim());
  const nearMiss = fc.constantFrom(
    demo.secret.slice(0, -1),
    `${demo.secret}x`,
    `x${demo.secret}`,
    demo.secret.toUpperCase(),
    demo.secret.split('').reverse().join(''),
    `${demo.secret};${demo.secret}`,
    `Bearer ${demo.secret}`,
  );
  const wrongKey = fc.oneof(ascii(), nearMiss, fc.constant('')).filter((k) => !isSecret(k));
  const malformedJson = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.constantFrom('{', '{"MessageName":', '[1,2', 'null', 'true', '"x"', '42', '[]', '{}', '\u0000', '{"__proto__":{"polluted":1}}', '[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]'),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 40 }).map((s) => `${'['.repeat(2000)}${JSON.stringify(s)}${']'.repeat(2000)}`),
  ).filter((s) => !s.includes('"OrganizationId"'));
  const brokenContext = fc
    .record({
      drop: fc.subarray([...REQUIRED], { minLength: 0 }),
      mistype: fc.constantFrom(...REQUIRED),
      value: fc.oneof(fc.integer(), fc.constant(null), fc.constant({}), fc.constant([]), ascii(40), fc.boolean()),
      entityId: guid,
    })
    .map(({ drop, mistype, value, entityId }) => {
      const body = validContext(demo.organizationId, entityId);
      for (const k of drop) delete body[k];
      // A GUID field set to a non-GUID string, or any field to a wrong type: never a valid context.
      body[mistype] = typeof value === 'string' && !/^[0-9a-fA-F-]{36}$/.test(value) && mistype.endsWith('Id') ? value : typeof value === 'string' ? 17 : value;
      if (mistype === 'MessageName' || mistype === 'PrimaryEntityName') body[mistype] = typeof value === 'string' ? '' : value;
      return serialiseLikeDataverse(body);
    });
  const tooDeep = fc
    .record({ depth: fc.integer({ min: 65, max: 100_000 }), kind: fc.constantFrom('array', 'object'), entityId: guid })
    .map(({ depth, kind, entityId }) => {
      const nested = kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      return serialiseLikeDataverse(validContext(demo.organizationId, entityId)).replace('"value":true', `"value":${nested}`);
    });
  const extraHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), ascii(80), { maxKeys: 4 }).map((h) => {
    delete h['x-autoinvoice-key'];
    return h;
  });
  const extraQuery = fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/).filter((k) => k !== 'code'), ascii(40), { maxKeys: 3 });
  const base = { headers: extraHeaders, query: extraQuery, viaQuery: fc.boolean() };
  return fc.oneof(
    fc.record({ ...base, category: fc.constant('wrong key, valid body'), key: fc.option(wrongKey, { nil: null }), body: guid.map((id) => serialiseLikeDataverse(validContext(demo.organizationId, id))) }),
    fc.record({ ...base, category: fc.constant('wrong key, malformed body'), key: fc.option(wrongKey, { nil: null }), body: malformedJson }),
    fc.record({ ...base, category: fc.constant('malformed JSON'), key: fc.constant(demo.secret), body: malformedJson }),
    fc.record({ ...base, category: fc.constant('broken context'), key: fc.constant(demo.secret), body: brokenContext }),
    fc.record({ ...base, category: fc.constant('nested too deep'), key: fc.constant(demo.secret), body: tooDeep }),
    fc.record({
      ...base,
      category: fc.constant('other organisation'),
      key: fc.constantFrom(demo.secret, ...others.map((o) => o.secret)),
      body: fc.tuple(fc.oneof(guid, fc.constantFrom(demo.organizationId, ...others.map((o) => o.organizationId))), guid).map(([org, id]) => serialiseLikeDataverse(validContext(org, id))),
    }).filter((c) => {
      const owner = [demo, ...others].find((t) => t.secret === c.key)!;
      return !c.body.includes(`"OrganizationId":"${owner.organizationId}"`);
    }),
    fc.record({
      ...base,
      category: fc.constant('announced size beyond the limit'),
      key: fc.constant(demo.secret),
      body: guid.map((id) => serialiseLikeDataverse(validContext(demo.organizationId, id))),
      headers: fc.integer({ min: 1024 * 1024 + 1, max: 2 ** 40 }).map((n) => ({ 'content-length': String(n) })),
    }),
  );
}

describe('dataverseWebhook under hostile and malformed input', () => {
  test(`when ${RUNS.toLocaleString('en')} generated hostile or malformed requests arrive, then each is answered 4xx, nothing is enqueued and no secret appears in any answer`, async () => {
    const stack = ctx.stack;
    const enqueued: unknown[] = [];
    const counting: DispatchQueue = { enqueue: async (r) => void enqueued.push(r) };
    setRuntime({ ...stack.runtime, queue: counting });
    const [demo, ...rest] = stack.tenants.map((t) => ({ secret: t.webhookSecret, organizationId: t.organizationId.toLowerCase() }));
    const settings = stack.runtime.settings;
    const secrets = [
      ...stack.tenants.map((t) => t.webhookSecret),
      ...Object.values(settings.Tenants).flatMap((t) => [t.ClientSecret, t.ExactClientSecret, t.Licence ?? '']),
      settings.TokenEncryptionKey,
      ...stack.exact.issuedSecrets(),
      ...[...stack.dataverse.values()].flatMap((d) => d.issuedSecrets()),
    ].filter((s) => s.length >= 8);
    const categories: Record<string, number> = {};
    const answers: Record<string, number> = {};

    await fc.assert(
      fc.asyncProperty(hostileRequests(demo!, rest, secrets), async (c) => {
        categories[c.category] = (categories[c.category] ?? 0) + 1;
        const query = { ...c.query, ...(c.viaQuery && c.key !== null ? { code: c.key } : {}) };
        const headers = { 'content-type': 'application/json', ...c.headers, ...(!c.viaQuery && c.key !== null ? { 'x-autoinvoice-key': c.key } : {}) };
        const url = `http://127.0.0.1:7071/api/dataverse/webhook?${new URLSearchParams(query).toString()}`;
        let answer: HttpResponseInit;
        try {
          const request = new HttpRequest({ method: 'POST', url, headers, query, body: { string: c.body } });
          answer = await dataverseWebhook(request, new InvocationContext({ functionName: 'dataverseWebhook', logHandler: () => undefined }));
        } catch (err) {
          throw new Error(`handler threw on ${c.category}: ${(err as Error).message}`, { cause: err });
        }
        answers[String(answer.status)] = (answers[String(answer.status)] ?? 0) + 1;
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        if (c.category === 'nested too deep') expect(answer).toMatchObject({ status: 400, jsonBody: { error: expect.stringContaining('nests deeper than 64 levels') } });
        const text = JSON.stringify(answer);
        for (const s of secrets) expect(text.includes(s)).toBe(false);
        expect(enqueued).toHaveLength(0);
      }),
      { numRuns: RUNS, seed: 20261122 },
    );
    setRuntime(stack.runtime);

    expect(Object.keys(categories)).toHaveLength(7);
    for (const n of Object.values(categories)) expect(n).toBeGreaterThan(RUNS / 20);
    expect(Object.keys(answers).sort()).toEqual(['400', '401', '403', '413']);
  }, 180_000);
});
