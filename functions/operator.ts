import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getRuntime } from '../src/composition/runtime';
import type { LedgerState } from '../src/app/ports';
import { explainLicenceExpiry, LEDGER_STATES, licenceExpiryNotice } from '../src/domain';
import type { TenantRuntime } from '../src/composition/runtime';

/** GET /api/health — liveness: the runtime is built and its tenants are configured. */
export async function health(_req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const rt = await getRuntime();
  return {
    status: 200,
    jsonBody: {
      status: 'ok',
      mode: rt.settings.Mode,
      tenants: rt.tenants.length,
      time: rt.clock.now().toISOString(),
    },
  };
}

const STATES: LedgerState[] = [...LEDGER_STATES];

/** GET /api/status — tenants and dispatch counts by status and by reason code, from the ledger. */
export async function status(_req: HttpRequest, _ctx: InvocationContext): Promise<HttpResponseInit> {
  const rt = await getRuntime();
  const tenants = [];
  for (const t of rt.tenants) {
    const byStatus: Record<string, number> = {};
    const byReason: Record<string, number> = {};
    const administrations = await t.directory.administrations().catch(() => []);
    // Division 0 holds invoices whose administration is unknown (administration_unknown).
    for (const division of [0, ...administrations.map((a) => a.division)]) {
      for (const e of await rt.ledger.list(t.name, division, STATES)) {
        byStatus[e.state] = (byStatus[e.state] ?? 0) + 1;
        if (e.reason) byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
      }
    }
    tenants.push({
      tenant: t.name,
      licence: await licenceStatus(t, rt.clock.now()),
      ...(rt.settings.Mode === 'local'
        ? {
            organizationId: t.settings.OrganizationId,
            dataverseUrl: t.settings.DataverseUrl,
            exactBaseUrl: t.settings.ExactBaseUrl,
          }
        : {}),
      administrations: administrations.map((a) => ({
        name: a.name,
        division: a.division,
        printInvoices: a.printInvoices,
      })),
      counts: { byStatus, byReason },
    });
  }
  return { status: 200, jsonBody: { tenants, ...(rt.describe?.() ?? {}) } };
}

/** The licence verdict and, within 14 days of expiry, the announcement (PRODUCT.md §9). Never the token. */
export async function licenceStatus(t: TenantRuntime, now: Date): Promise<Record<string, unknown>> {
  const check = await t.context.licence(now);
  if (!check.ok) return { valid: false, reason: check.reason };
  const notice = licenceExpiryNotice(check, now);
  const lang = await t.context.language().catch(() => 'en' as const);
  return {
    valid: true,
    features: check.features,
    expiresAt: check.expiresAt.toISOString(),
    ...(notice ? { notice: explainLicenceExpiry(notice, lang) } : {}),
  };
}

// Operator endpoints need a function key in Azure; only the local host serves them without one, on loopback.
app.http('health', { methods: ['GET'], authLevel: 'function', route: 'health', handler: health });
app.http('status', { methods: ['GET'], authLevel: 'function', route: 'status', handler: status });
