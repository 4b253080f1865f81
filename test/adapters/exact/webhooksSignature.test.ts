import { exactHashCode, readExactWebhook } from '../../../src/adapters/exact/webhooksSignature';

const SECRET = 'exact-webhook-secret-1';
const CONTENT =
  '{"Topic":"SalesInvoices","ClientId":"2781096d-0000-4000-8000-000000000001","Division":100001,"Action":"Create","Key":"a79d86b2-0000-4000-8000-000000000002","ExactOnlineEndpoint":"https://start.exactonline.nl/api/v1/100001/salesinvoice/SalesInvoices(guid\'a79d86b2-0000-4000-8000-000000000002\')","EventCreatedOn":"2026-12-02T01:00:00.000"}';
/**
 * Computed outside the code under test, by the reference's rule (§10): HMAC-SHA256 over the text between
 * `{"Content":` and `,"HashCode":`, keyed with the webhook secret, in hex (upper-cased here):
 * `printf '%s' "$CONTENT" | openssl dgst -sha256 -hmac exact-webhook-secret-1`.
 */
const HASH = 'FE77B330E3FD17E069A5EB5046CB8AEF8EB117CE58F38157CB8C26789329FBF1';
const body = (hash: string, content = CONTENT) => `{"Content":${content},"HashCode":"${hash}"}`;

describe("Exact's webhook HashCode (reference §10)", () => {
  test('when the HashCode is computed by the reference rule, then it equals the uppercase-hex HMAC-SHA256 of the Content text', () => {
    expect(exactHashCode(CONTENT, SECRET)).toBe(HASH);
  });

  test('when the body carries the right HashCode, then its Content is read', () => {
    const read = readExactWebhook(body(HASH), SECRET);
    expect(read).toEqual({
      kind: 'event',
      content: expect.objectContaining({
        Topic: 'SalesInvoices',
        Division: 100001,
        Action: 'Create',
        Key: 'a79d86b2-0000-4000-8000-000000000002',
      }),
    });
  });

  test.each([
    ['the same hash in lowercase hex', HASH.toLowerCase()],
    ['the hash in base64', Buffer.from(HASH, 'hex').toString('base64')],
    ['a hash made with another secret', exactHashCode(CONTENT, 'another-secret-xyz')],
    ['an empty HashCode', ''],
  ])('when the body carries %s, then it is refused as forged', (_name, hash) => {
    expect(readExactWebhook(body(hash), SECRET).kind).toBe('forged');
  });

  test('when one character of the Content changes after signing, then it is refused as forged', () => {
    const changed = CONTENT.replace('"Division":100001', '"Division":100002');
    expect(readExactWebhook(body(HASH, changed), SECRET).kind).toBe('forged');
  });

  test('when the body has no HashCode, then it is refused as forged, naming the missing HashCode', () => {
    const read = readExactWebhook(`{"Content":${CONTENT}}`, SECRET);
    expect(read).toEqual({ kind: 'forged', why: expect.stringMatching(/no HashCode/) });
  });

  test('when the body is empty, then it is the validation handshake', () => {
    expect(readExactWebhook('', SECRET)).toEqual({ kind: 'validation' });
  });

  test('when a signed Content lacks a field or has a Key that is no GUID, then it is malformed and names the field', () => {
    const noAction =
      '{"Topic":"SalesInvoices","Division":100001,"Key":"a79d86b2-0000-4000-8000-000000000002"}';
    expect(readExactWebhook(body(exactHashCode(noAction, SECRET), noAction), SECRET)).toEqual({
      kind: 'malformed',
      problem: expect.stringMatching(/^Content\.Action:/),
    });
    const badKey = '{"Topic":"SalesInvoices","Division":100001,"Action":"Create","Key":"x"}';
    expect(readExactWebhook(body(exactHashCode(badKey, SECRET), badKey), SECRET)).toEqual({
      kind: 'malformed',
      problem: 'Content.Key: Key must be a GUID',
    });
  });
});
