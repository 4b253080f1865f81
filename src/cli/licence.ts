/**
 * The vendor's licence tool (PRODUCT.md §9): `npm run licence -- keypair | issue | verify`.
 * Tokens go to stdout alone so they can be piped; everything else goes to stderr. The private key is
 * read from its file and never printed, logged or echoed in an error.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeJwt, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT } from 'jose';
import {
  LICENCE_ALGORITHM,
  LICENCE_FEATURES,
  LICENCE_ISSUER,
  licenceExpiryNotice,
  explainLicenceExpiry,
  normaliseOrganizationId,
  verifyLicence,
  type LicenceFeature,
} from '../domain';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** The clock, passed in so tests can pin it. */
  now: Date;
}

export class UsageError extends Error {}

export const USAGE = `Usage:
  npm run licence -- keypair --out <dir> [--force]
  npm run licence -- issue --org <organisation id> --features sales,recurring --expires 2027-12-31 --key private.pem [--not-before 2026-01-01] [--id <licence id>]
  npm run licence -- verify <token> --key public.pem --org <organisation id> [--now 2026-06-01T00:00:00Z]`;

export async function generateLicenceKeyPair(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await generateKeyPair(LICENCE_ALGORITHM, { extractable: true });
  return { privateKeyPem: await exportPKCS8(privateKey), publicKeyPem: await exportSPKI(publicKey) };
}

export interface LicenceTerms {
  organizationId: string;
  features: LicenceFeature[];
  expiresAt: Date;
  notBefore: Date;
  licenceId: string;
  issuedAt: Date;
}

export async function issueLicence(terms: LicenceTerms, privateKeyPem: string): Promise<string> {
  const key = await importPKCS8(privateKeyPem, LICENCE_ALGORITHM).catch(() => {
    throw new UsageError(
      'the private key could not be read (expects an Ed25519 PKCS#8 PEM, as written by "keypair")',
    );
  });
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  return new SignJWT({ features: terms.features })
    .setProtectedHeader({ alg: LICENCE_ALGORITHM, typ: 'JWT' })
    .setIssuer(LICENCE_ISSUER)
    .setSubject(normaliseOrganizationId(terms.organizationId))
    .setJti(terms.licenceId)
    .setIssuedAt(seconds(terms.issuedAt))
    .setNotBefore(seconds(terms.notBefore))
    .setExpirationTime(seconds(terms.expiresAt))
    .sign(key);
}

/**
 * `YYYY-MM-DD` or a full ISO instant. A bare expiry date means "valid through that day (UTC)", so it ends at
 * 00:00 UTC the next day; a bare not-before date starts at 00:00 UTC that day.
 */
export function parseLicenceDate(text: string, role: 'expires' | 'notBefore'): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const parsed = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(parsed.getTime()) || (dateOnly && parsed.toISOString().slice(0, 10) !== text)) {
    throw new UsageError(
      `--${role === 'expires' ? 'expires' : 'not-before'} must be YYYY-MM-DD or an ISO date-time, got "${text}"`,
    );
  }
  return dateOnly && role === 'expires' ? new Date(parsed.getTime() + 86_400_000) : parsed;
}

export function parseFeatures(text: string): LicenceFeature[] {
  const names = text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
  const unknown = names.filter((f) => !(LICENCE_FEATURES as readonly string[]).includes(f));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--features takes ${LICENCE_FEATURES.join(', ')} (comma-separated)${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  }
  return LICENCE_FEATURES.filter((f) => names.includes(f));
}

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required`);
  return v.trim();
}

async function keypair(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, force: { type: 'boolean' } } });
  const dir = required(values, 'out');
  const privatePath = join(dir, 'private.pem');
  if (existsSync(privatePath) && !values.force)
    throw new UsageError(
      `${privatePath} exists; pass --force to replace it (licences signed with it stop verifying)`,
    );
  const { privateKeyPem, publicKeyPem } = await generateLicenceKeyPair();
  mkdirSync(dir, { recursive: true });
  writeFileSync(privatePath, privateKeyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'public.pem'), publicKeyPem, { mode: 0o644 });
  io.err(
    `Wrote ${privatePath} (keep it secret, it signs licences) and ${join(dir, 'public.pem')} (install it in the connector).`,
  );
  io.out(publicKeyPem.trimEnd());
  return 0;
}

async function issue(args: string[], io: CliIo): Promise<number> {
  const options = {
    org: { type: 'string' },
    features: { type: 'string' },
    expires: { type: 'string' },
    key: { type: 'string' },
    'not-before': { type: 'string' },
    id: { type: 'string' },
  } as const;
  const { values } = parseArgs({ args, options });
  const expiresAt = parseLicenceDate(required(values, 'expires'), 'expires');
  const notBefore = values['not-before'] ? parseLicenceDate(values['not-before'], 'notBefore') : io.now;
  if (expiresAt.getTime() <= notBefore.getTime())
    throw new UsageError('--expires must lie after the start of validity');
  const terms: LicenceTerms = {
    organizationId: required(values, 'org'),
    features: parseFeatures(required(values, 'features')),
    expiresAt,
    notBefore,
    licenceId: values.id?.trim() || randomUUID(),
    issuedAt: io.now,
  };
  const token = await issueLicence(terms, readKey(required(values, 'key'), 'private'));
  io.err(
    `Licence ${terms.licenceId} for ${normaliseOrganizationId(terms.organizationId)}: ${terms.features.join(', ')}, ` +
      `valid ${terms.notBefore.toISOString()} until ${terms.expiresAt.toISOString()}.`,
  );
  io.out(token);
  return 0;
}

async function verify(args: string[], io: CliIo): Promise<number> {
  const options = { key: { type: 'string' }, org: { type: 'string' }, now: { type: 'string' } } as const;
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  const token = positionals[0];
  if (!token) throw new UsageError('verify needs the token as its first argument');
  const now = values.now ? new Date(values.now) : io.now;
  if (!Number.isFinite(now.getTime())) throw new UsageError('--now must be an ISO date-time');
  try {
    io.out(`Claims (as written in the token, before verification): ${JSON.stringify(decodeJwt(token))}`);
  } catch {
    io.out('Claims: unreadable (not a JWT)');
  }
  const check = await verifyLicence(
    token,
    readKey(required(values, 'key'), 'public'),
    required(values, 'org'),
    now,
  );
  if (!check.ok) {
    io.out(`Verdict: INVALID ${check.reason}${check.detail ? ` (${check.detail})` : ''}`);
    return 1;
  }
  io.out(
    `Verdict: VALID licence ${check.licenceId} for ${check.organizationId}; features ${check.features.join(', ') || '(none)'}; expires ${check.expiresAt.toISOString()}`,
  );
  const notice = licenceExpiryNotice(check, now);
  if (notice) io.out(explainLicenceExpiry(notice, 'en'));
  return 0;
}

function readKey(path: string, kind: 'private' | 'public'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the ${kind} key file ${path}`);
  }
}

export async function runLicenceCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'help' || command === '--help' || command === '-h') {
      io.out(USAGE);
      return 0;
    }
    if (command === 'keypair') return await keypair(rest, io);
    if (command === 'issue') return await issue(rest, io);
    if (command === 'verify') return await verify(rest, io);
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (err) {
    // parseArgs reports unknown or malformed options with ERR_PARSE_ARGS_* codes: usage mistakes too.
    const code = (err as { code?: unknown }).code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`licence: ${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  runLicenceCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    now: new Date(),
  }).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`licence: ${err instanceof Error ? err.message : 'failed'}\n`);
      process.exitCode = 1;
    },
  );
}
