import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { parseLicenceDate, runLicenceCli } from '../../src/cli/licence';

const ORG = '5F2C1E9A-0000-4000-8000-000000000001';
const NOW = new Date('2026-03-20T10:00:00Z');

function io(now = NOW) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), now } };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'licence-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], now = NOW) {
  const t = io(now);
  const code = await runLicenceCli(argv, t.io);
  return { code, out: t.out.join('\n'), err: t.err.join('\n') };
}

describe('licence CLI', () => {
  test('when a key pair is made, a licence issued and verified, then the round trip says VALID with the claims', async () => {
    const made = await run(['keypair', '--out', dir]);
    expect(made.code).toBe(0);
    const privatePem = readFileSync(join(dir, 'private.pem'), 'utf8');
    expect(privatePem).toContain('BEGIN PRIVATE KEY');
    expect(statSync(join(dir, 'private.pem')).mode & 0o077).toBe(0);
    expect(made.out + made.err).not.toContain(privatePem.split('\n')[1]);
    expect(made.out).toBe(readFileSync(join(dir, 'public.pem'), 'utf8').trimEnd());

    const issued = await run([
      'issue',
      '--org',
      ORG,
      '--features',
      'recurring,sales',
      '--expires',
      '2027-12-31',
      '--key',
      join(dir, 'private.pem'),
      '--id',
      'lic-42',
    ]);
    expect(issued.code).toBe(0);
    const token = issued.out;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decodeJwt(token)).toMatchObject({
      iss: 'autoinvoice-licensing',
      sub: ORG.toLowerCase(),
      features: ['sales', 'recurring'],
      jti: 'lic-42',
      nbf: NOW.getTime() / 1000,
      exp: Date.parse('2028-01-01T00:00:00Z') / 1000,
    });

    const verified = await run(['verify', token, '--key', join(dir, 'public.pem'), '--org', ORG]);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('"jti":"lic-42"');
    expect(verified.out).toContain(
      `Verdict: VALID licence lic-42 for ${ORG.toLowerCase()}; features sales, recurring; expires 2028-01-01T00:00:00.000Z`,
    );
    expect(verified.out + verified.err + issued.err).not.toContain(privatePem.split('\n')[1]);
  });

  test('when the licence is verified for another organisation or after expiry, then the verdict is INVALID with its reason', async () => {
    await run(['keypair', '--out', dir]);
    const { out: token } = await run([
      'issue',
      '--org',
      ORG,
      '--features',
      'sales',
      '--expires',
      '2026-04-01',
      '--key',
      join(dir, 'private.pem'),
    ]);
    const other = await run([
      'verify',
      token,
      '--key',
      join(dir, 'public.pem'),
      '--org',
      '9a9a9a9a-0000-4000-8000-000000000002',
    ]);
    expect([other.code, other.out]).toEqual([
      1,
      expect.stringContaining('Verdict: INVALID licence_wrong_tenant'),
    ]);
    const late = await run([
      'verify',
      token,
      '--key',
      join(dir, 'public.pem'),
      '--org',
      ORG,
      '--now',
      '2026-04-03T00:00:00Z',
    ]);
    expect([late.code, late.out]).toEqual([1, expect.stringContaining('Verdict: INVALID licence_expired')]);
  });

  test('when the licence expires within 14 days, then verify announces it', async () => {
    await run(['keypair', '--out', dir]);
    const { out: token } = await run([
      'issue',
      '--org',
      ORG,
      '--features',
      'sales',
      '--expires',
      '2026-03-25',
      '--key',
      join(dir, 'private.pem'),
    ]);
    const v = await run(['verify', token, '--key', join(dir, 'public.pem'), '--org', ORG]);
    expect(v.out).toContain('The AutoInvoice licence expires on 2026-03-26 (in 6 days)');
  });

  test('when a key pair already exists, then keypair refuses to overwrite it without --force', async () => {
    await run(['keypair', '--out', dir]);
    const before = readFileSync(join(dir, 'private.pem'), 'utf8');
    const again = await run(['keypair', '--out', dir]);
    expect([again.code, readFileSync(join(dir, 'private.pem'), 'utf8')]).toEqual([2, before]);
    expect((await run(['keypair', '--out', dir, '--force'])).code).toBe(0);
  });

  test.each([
    [
      ['issue', '--org', ORG, '--features', 'fleet', '--expires', '2027-12-31', '--key', 'k.pem'],
      'unknown: fleet',
    ],
    [
      ['issue', '--org', ORG, '--features', 'sales', '--expires', '31-12-2027', '--key', 'k.pem'],
      '--expires must be YYYY-MM-DD',
    ],
    [['issue', '--features', 'sales', '--expires', '2027-12-31', '--key', 'k.pem'], '--org is required'],
    [
      ['issue', '--org', ORG, '--features', 'sales', '--expires', '2027-12-31', '--key', 'missing.pem'],
      'cannot read the private key file',
    ],
    [['verify', '--org', ORG], 'needs the token'],
    [['sign'], 'unknown command "sign"'],
    [['issue', '--bogus'], 'Unknown option'],
  ])('when the command line is %j, then it exits 2 with a usage message', async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('Usage:');
  });

  test('when the private key file holds something else, then the error does not echo its content', async () => {
    await run(['keypair', '--out', dir]);
    const r = await run([
      'issue',
      '--org',
      ORG,
      '--features',
      'sales',
      '--expires',
      '2027-12-31',
      '--key',
      join(dir, 'public.pem'),
    ]);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toContain('private key could not be read');
    expect(r.err).not.toContain('BEGIN');
  });

  test.each([
    ['2027-12-31', 'expires', '2028-01-01T00:00:00.000Z'],
    ['2027-12-31', 'notBefore', '2027-12-31T00:00:00.000Z'],
    ['2027-06-30T12:00:00Z', 'expires', '2027-06-30T12:00:00.000Z'],
  ] as const)('when the date is %s for %s, then it means %s', (text, role, iso) => {
    expect(parseLicenceDate(text, role).toISOString()).toBe(iso);
  });
});
