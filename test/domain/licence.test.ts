import { createHmac } from 'node:crypto';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import {
  decide,
  explain,
  licenceExpiryNotice,
  explainLicenceExpiry,
  LICENCE_ISSUER,
  verifyLicence,
  type LicenceCheck,
  type LicenceFeature,
} from '../../src/domain';
import { input } from './fixtures';

const ORG = '5f2c1e9a-0000-4000-8000-000000000001';
const OTHER_ORG = '9a9a9a9a-0000-4000-8000-000000000002';
const NOW = new Date('2026-03-20T10:00:00Z');
const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let vendor: Keys;
let vendorPublicPem: string;
let forger: Keys;

beforeAll(async () => {
  vendor = await generateKeyPair('EdDSA', { extractable: true });
  forger = await generateKeyPair('EdDSA', { extractable: true });
  vendorPublicPem = await exportSPKI(vendor.publicKey);
});

interface Claims {
  sub?: string;
  features?: LicenceFeature[];
  exp?: string;
  nbf?: string;
  jti?: string;
  iss?: string;
}

function sign(claims: Claims = {}, key: Keys['privateKey'] = vendor.privateKey): Promise<string> {
  const c = {
    sub: ORG,
    features: ['sales', 'recurring'],
    exp: '2027-12-31T23:59:59Z',
    jti: 'lic-2026-001',
    iss: LICENCE_ISSUER,
    ...claims,
  };
  const jwt = new SignJWT({ features: c.features })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setSubject(c.sub)
    .setIssuer(c.iss)
    .setJti(c.jti)
    .setIssuedAt(seconds('2026-01-01T00:00:00Z'))
    .setExpirationTime(seconds(c.exp));
  if (c.nbf) jwt.setNotBefore(seconds(c.nbf));
  return jwt.sign(key);
}

const verify = (token: string | undefined, org = ORG, now = NOW) =>
  verifyLicence(token, vendorPublicPem, org, now);
const reasonOf = (check: LicenceCheck) => (check.ok ? 'ok' : check.reason);

describe('verifyLicence', () => {
  test('when the licence is signed by the vendor for this organisation, then it is valid with its claims', async () => {
    const check = await verify(await sign({ nbf: '2026-01-01T00:00:00Z' }));
    expect(check).toEqual({
      ok: true,
      licenceId: 'lic-2026-001',
      organizationId: ORG,
      features: ['sales', 'recurring'],
      notBefore: new Date('2026-01-01T00:00:00Z'),
      expiresAt: new Date('2027-12-31T23:59:59Z'),
    });
  });

  test('when the organisation id differs only in case and braces, then it is the same tenant', async () => {
    expect(reasonOf(await verify(await sign(), `{${ORG.toUpperCase()}}`))).toBe('ok');
  });

  const CLAIMS = {
    sub: ORG,
    features: ['sales', 'recurring'],
    exp: seconds('2030-01-01'),
    jti: 'x',
    iss: LICENCE_ISSUER,
  };
  const unsigned = async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(CLAIMS)}.`;
  const hs256WithPublicKey = async () => {
    const signingInput = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(CLAIMS)}`;
    return `${signingInput}.${createHmac('sha256', vendorPublicPem).update(signingInput).digest('base64url')}`;
  };
  const altered = async () => {
    const [h, , s] = (await sign({ features: ['sales'] })).split('.');
    return `${h}.${b64url(CLAIMS)}.${s}`;
  };

  test.each<[string, string, string, () => Promise<string | undefined>]>([
    ['no token', 'licence_missing', 'no licence', async () => undefined],
    ['an empty token', 'licence_missing', 'no licence', async () => '  '],
    [
      'a token signed with another key (forged)',
      'licence_invalid',
      'signature',
      () => sign({}, forger.privateKey),
    ],
    ['a token whose payload was altered after signing', 'licence_invalid', 'signature', altered],
    [
      'a licence of another organisation',
      'licence_wrong_tenant',
      'another organisation',
      () => sign({ sub: OTHER_ORG }),
    ],
    [
      'an expired licence of another organisation',
      'licence_wrong_tenant',
      'another organisation',
      () => sign({ sub: OTHER_ORG, exp: '2026-01-31T00:00:00Z' }),
    ],
    [
      'an expired licence',
      'licence_expired',
      'expired at 2026-03-19T23:59:59',
      () => sign({ exp: '2026-03-19T23:59:59Z' }),
    ],
    [
      'a licence not valid before next month',
      'licence_invalid',
      'not valid before 2026-04-01',
      () => sign({ nbf: '2026-04-01T00:00:00Z' }),
    ],
    ['a licence from another issuer', 'licence_invalid', 'claim iss', () => sign({ iss: 'someone-else' })],
    ['a malformed token', 'licence_invalid', 'malformed', async () => 'not.a.licence'],
    [
      'a token with a garbage signature',
      'licence_invalid',
      'signature',
      async () => `${b64url({ alg: 'EdDSA' })}.${b64url(CLAIMS)}.AAAA`,
    ],
    ['an unsigned token (alg none)', 'licence_invalid', 'algorithm not allowed', unsigned],
    [
      'an HS256 token using the public key PEM as HMAC secret',
      'licence_invalid',
      'algorithm not allowed',
      hs256WithPublicKey,
    ],
  ])('when given %s, then the check says %s (%s)', async (_when, reason, detail, token) => {
    const check = await verify(await token());
    expect(reasonOf(check)).toBe(reason);
    expect(!check.ok && check.detail).toContain(detail);
  });

  test('when the licence is rejected, then the detail never contains the token', async () => {
    const token = await sign({ exp: '2026-01-01T00:00:00Z' });
    const check = await verify(token);
    expect(check.ok).toBe(false);
    expect(JSON.stringify(check)).not.toContain(token.split('.')[2]);
  });

  test('when the configured public key is not a key, then every licence is invalid and nothing throws', async () => {
    expect(reasonOf(await verifyLicence(await sign(), 'not a pem', ORG, NOW))).toBe('licence_invalid');
  });

  test('when the features claim holds an unknown feature, then it is ignored', async () => {
    const check = await verify(await sign({ features: ['sales', 'fleet' as LicenceFeature] }));
    expect(check.ok && check.features).toEqual(['sales']);
  });
});

describe('licence in the decision', () => {
  test('when a sales-only licence meets a recurring invoice, then decide ignores it with licence_feature_missing', async () => {
    const licence = await verify(await sign({ features: ['sales'] }));
    const d = decide(input({ licence, invoice: { source: 2 } }));
    expect([d.kind, d.reason]).toEqual(['ignore', 'licence_feature_missing']);
    expect(explain(d.reason, d.facts, 'en')).toBe(
      'Not sent: the AutoInvoice licence does not cover recurring invoices (subscriptions).',
    );
  });

  test('when a recurring-only licence meets a sales-order invoice, then decide ignores it with licence_feature_missing', async () => {
    const licence = await verify(await sign({ features: ['recurring'] }));
    expect(decide(input({ licence, invoice: { source: 1 } })).reason).toBe('licence_feature_missing');
  });

  test('when the licence is forged, then decide ignores the invoice with licence_invalid', async () => {
    const licence = await verify(await sign({}, forger.privateKey));
    expect(decide(input({ licence })).reason).toBe('licence_invalid');
  });
});

describe('licenceExpiryNotice (announced 14 days ahead)', () => {
  const check = (expiresAt: string): LicenceCheck => ({
    ok: true,
    licenceId: 'lic',
    organizationId: ORG,
    features: ['sales'],
    notBefore: null,
    expiresAt: new Date(expiresAt),
  });

  test.each([
    ['2026-04-20T10:00:00Z', null],
    ['2026-04-03T10:00:01Z', null],
    ['2026-04-03T10:00:00Z', 14],
    ['2026-03-21T09:00:00Z', 1],
  ])('when the licence expires at %s, then the notice says %p days left', (expiresAt, days) => {
    expect(licenceExpiryNotice(check(expiresAt), NOW)?.daysLeft ?? null).toBe(days);
  });

  test('when the licence is invalid or already expired, then there is no notice (the decision reports it)', () => {
    expect(licenceExpiryNotice({ ok: false, reason: 'licence_expired' }, NOW)).toBeNull();
    expect(licenceExpiryNotice(check('2026-03-20T09:59:59Z'), NOW)).toBeNull();
  });

  test('when a notice is due, then it reads in both languages with the date', () => {
    const notice = licenceExpiryNotice(check('2026-03-30T00:00:00Z'), NOW);
    expect(notice).not.toBeNull();
    expect(explainLicenceExpiry(notice!, 'en')).toBe(
      'The AutoInvoice licence expires on 2026-03-30 (in 10 days). Ask the vendor for a renewal to keep invoices going out.',
    );
    expect(explainLicenceExpiry(notice!, 'nl')).toContain('verloopt op 2026-03-30 (over 10 dagen)');
  });
});
