/** The operator's dependencies, cut from the runtime (as runtime.ts cuts the worker's), and request parsing. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import {
  OperatorInputError,
  tenantNamed,
  type OperatorDeps,
  type OperatorTenant,
} from '../src/app/operator/ports';
import { createTxtResolver } from '../src/adapters/dns/txtResolver';
import { dispatchDeps, getRuntime, type Runtime } from '../src/composition/runtime';
import { authorise } from './consoleAuth';

export function operatorDeps(rt: Runtime): OperatorDeps {
  const dns = createTxtResolver(rt.settings.SpfDnsServers?.split(',').map((s) => s.trim()));
  return {
    tenants: rt.tenants.map((t): OperatorTenant => ({
      name: t.name,
      deps: { ...dispatchDeps(rt, t), directory: t.directory },
      isConnected: () => t.connection.isConnected(),
      budget: (division) => t.budget(division),
      activate: (id, from) => t.activateAdministration(id, from),
      dns,
    })),
    ledger: rt.ledger,
    clock: rt.clock,
    audit: rt.audit,
  };
}

export interface ConsoleCall {
  rt: Runtime;
  deps: OperatorDeps;
  who: string;
}

/**
 * Every console handler: sign-in first (nothing is read before it), then the handler; a request the
 * operator can correct answers 400/404 with its message, anything else 500 without detail (logged).
 */
export async function consoleCall(
  req: HttpRequest,
  run: (call: ConsoleCall) => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  const rt = await getRuntime();
  const auth = await authorise(req, rt.settings);
  if (!auth.ok) return auth.response;
  try {
    return await run({ rt, deps: operatorDeps(rt), who: auth.who });
  } catch (err) {
    if (err instanceof OperatorInputError) return { status: err.status, jsonBody: { error: err.message } };
    if (err instanceof z.ZodError) return { status: 400, jsonBody: { error: z.prettifyError(err) } };
    rt.log.error(`console: ${(err as Error).name}: ${(err as Error).message}`);
    return { status: 500, jsonBody: { error: 'internal error; see the connector log' } };
  }
}

/** The tenant named, or the first configured one when none is named. */
export function tenantOf(deps: OperatorDeps, name: string | null | undefined): OperatorTenant {
  if (name) return tenantNamed(deps, name);
  const first = deps.tenants[0];
  if (!first) throw new OperatorInputError('no tenant is configured', 404);
  return first;
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const guid = z.string().regex(/^[0-9a-f-]{36}$/i, 'a Dataverse row id');

export const PlanQuery = z.object({
  tenant: z.string().optional(),
  division: z.coerce.number().int().positive(),
  since: date.optional(),
  rows: z.string().optional(),
});

export const ActivateBody = z.strictObject({
  tenant: z.string().optional(),
  division: z.number().int().positive(),
  since: date,
});

export const DispatchBody = z
  .strictObject({
    tenant: z.string().optional(),
    division: z.number().int().positive().optional(),
    rowIds: z.array(guid).max(5000).optional(),
  })
  .refine((b) => b.division !== undefined || (b.rowIds ?? []).length > 0, 'name a division or rowIds');

export const ResendBody = z.strictObject({
  tenant: z.string().optional(),
  reason: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional(),
});

/** A JSON body of at most 256 KB, parsed by `schema`. */
export async function bodyOf<T>(req: HttpRequest, schema: z.ZodType<T>): Promise<T> {
  if (!/^application\/json\b/i.test(req.headers.get('content-type') ?? ''))
    throw new OperatorInputError('send the body as application/json');
  const text = await req.text();
  if (text.length > 256 * 1024) throw new OperatorInputError('body too large');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OperatorInputError('the body is not JSON');
  }
  return schema.parse(value);
}
