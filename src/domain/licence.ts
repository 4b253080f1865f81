/**
 * Offline licence check (PRODUCT.md §9): a compact JWS signed by the vendor with Ed25519 (alg EdDSA).
 * Claims and choices are recorded in docs/decisions/0003-licence-token.md.
 * Verification is async only because WebCrypto is; the decision itself receives the resulting LicenceCheck.
 */
import type { JWTPayload } from 'jose';
import type { LicenceCheck, LicenceFeature, MessageFacts, Source } from './types';

export const LICENCE_ISSUER = 'autoinvoice-licensing';
export const LICENCE_ALGORITHM = 'EdDSA';
export const LICENCE_FEATURES: readonly LicenceFeature[] = ['sales', 'recurring'];
/** Grace for clock skew between the vendor's machine (nbf) and the tenant's; see ADR 0003. */
export const LICENCE_CLOCK_TOLERANCE_SECONDS = 300;
/** PRODUCT.md §9: expiry is announced this many days ahead. */
export const LICENCE_NOTICE_DAYS = 14;

const MAX_TOKEN_LENGTH = 8192;
const DAY_MS = 86_400_000;

/** Which licence feature an invoice source needs: recurring (2) → `recurring`; sales order, manual, API → `sales`. */
export function featureForSource(source: Source): LicenceFeature | null {
  switch (source) {
    case 2:
      return 'recurring';
    case 1:
    case 3:
    case 4:
      return 'sales';
    default:
      return null;
  }
}

/** Dataverse shows organisation ids as GUIDs in any case, with or without braces. */
export function normaliseOrganizationId(id: string): string {
  return id
    .trim()
    .replace(/^\{|\}$/g, '')
    .toLowerCase();
}

type Failure = Extract<LicenceCheck, { ok: false }>;
const fail = (reason: Failure['reason'], detail: string): Failure => ({ ok: false, reason, detail });

function tenantMatches(payload: JWTPayload, organizationId: string): boolean {
  return (
    typeof payload.sub === 'string' &&
    normaliseOrganizationId(payload.sub) === normaliseOrganizationId(organizationId)
  );
}

function fromVerifiedPayload(payload: JWTPayload, organizationId: string): LicenceCheck {
  if (!tenantMatches(payload, organizationId))
    return fail('licence_wrong_tenant', 'licence names another organisation');
  const features = payload.features;
  if (!Array.isArray(features)) return fail('licence_invalid', 'features claim is not a list');
  if (typeof payload.jti !== 'string' || payload.jti.length === 0)
    return fail('licence_invalid', 'licence id missing');
  if (typeof payload.exp !== 'number') return fail('licence_invalid', 'expiry missing');
  return {
    ok: true,
    licenceId: payload.jti,
    organizationId: payload.sub as string,
    // Unknown feature names are ignored so that a newer vendor tool does not break older connectors.
    features: LICENCE_FEATURES.filter((f) => features.includes(f)),
    notBefore: typeof payload.nbf === 'number' ? new Date(payload.nbf * 1000) : null,
    expiresAt: new Date(payload.exp * 1000),
  };
}

function fromError(err: unknown, organizationId: string): LicenceCheck {
  const code = (err as { code?: unknown } | null)?.code;
  const payload = (err as { payload?: JWTPayload } | null)?.payload;
  // Signature already verified when jose reports a claim failure: a foreign licence is named as such first.
  if (
    payload &&
    (code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') &&
    !tenantMatches(payload, organizationId)
  ) {
    return fail('licence_wrong_tenant', 'licence names another organisation');
  }
  if (code === 'ERR_JWT_EXPIRED') {
    const exp = typeof payload?.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : 'unknown';
    return fail('licence_expired', `licence expired at ${exp}`);
  }
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = (err as { claim?: string }).claim ?? 'unknown';
    if (claim === 'nbf' && typeof payload?.nbf === 'number') {
      return fail(
        'licence_invalid',
        `licence not valid before ${new Date(payload.nbf * 1000).toISOString()}`,
      );
    }
    return fail('licence_invalid', `claim ${claim} failed validation`);
  }
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
    return fail('licence_invalid', 'signature does not match the vendor key');
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED')
    return fail('licence_invalid', `algorithm not allowed (only ${LICENCE_ALGORITHM})`);
  return fail('licence_invalid', 'token is malformed');
}

/**
 * Verifies a licence token for one organisation at `now`. Never throws on any token; never echoes the token.
 * Missing → licence_missing; forged, malformed, wrong algorithm, not yet valid → licence_invalid;
 * another organisation → licence_wrong_tenant; past expiry → licence_expired.
 */
export async function verifyLicence(
  token: string | undefined,
  publicKeyPem: string,
  organizationId: string,
  now: Date,
): Promise<LicenceCheck> {
  const compact = typeof token === 'string' ? token.trim() : '';
  if (compact.length === 0) return fail('licence_missing', 'no licence installed');
  if (compact.length > MAX_TOKEN_LENGTH) return fail('licence_invalid', 'token is too long');
  if (!(now instanceof Date) || !Number.isFinite(now.getTime()))
    return fail('licence_invalid', 'no valid current time');
  // Loaded on first use: jose 6 is ESM-only, and importing the domain must not depend on how a runner loads it
  // (see ADR 0003). A runtime that cannot load jose throws here, loudly, instead of rejecting every licence.
  const { importSPKI, jwtVerify } = await import('jose');
  let key: Awaited<ReturnType<typeof importSPKI>>;
  try {
    key = await importSPKI(publicKeyPem, LICENCE_ALGORITHM);
  } catch {
    return fail('licence_invalid', 'vendor public key could not be read (expects an Ed25519 SPKI PEM)');
  }
  try {
    const { payload } = await jwtVerify(compact, key, {
      algorithms: [LICENCE_ALGORITHM],
      issuer: LICENCE_ISSUER,
      requiredClaims: ['sub', 'exp', 'jti'],
      currentDate: now,
      clockTolerance: LICENCE_CLOCK_TOLERANCE_SECONDS,
    });
    return fromVerifiedPayload(payload, organizationId);
  } catch (err) {
    return fromError(err, organizationId);
  }
}

/** Whether the licence covers an invoice of `source`. */
export function licenceCovers(check: LicenceCheck, source: Source): boolean {
  const needed = featureForSource(source);
  return check.ok && needed !== null && Array.isArray(check.features) && check.features.includes(needed);
}

export interface LicenceExpiryNotice {
  kind: 'licence_expiring';
  licenceId: string;
  expiresAt: Date;
  /** Whole days left, rounded up (1 = expires within the next 24 hours). */
  daysLeft: number;
  facts: MessageFacts;
}

/** PRODUCT.md §9: a notice when a valid licence expires within 14 days; null otherwise. */
export function licenceExpiryNotice(check: LicenceCheck, now: Date): LicenceExpiryNotice | null {
  if (!check.ok) return null;
  const left = check.expiresAt.getTime() - now.getTime();
  if (!Number.isFinite(left) || left <= 0 || left > LICENCE_NOTICE_DAYS * DAY_MS) return null;
  const daysLeft = Math.ceil(left / DAY_MS);
  return {
    kind: 'licence_expiring',
    licenceId: check.licenceId,
    expiresAt: check.expiresAt,
    daysLeft,
    facts: { date: check.expiresAt.toISOString().slice(0, 10), days: daysLeft },
  };
}
