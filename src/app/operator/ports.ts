/**
 * What the operator's use cases (issue 18, PRODUCT.md §14) need: per tenant the dispatch dependencies and a
 * few operator-only ports (the Exact budget, the administration switch, the connection), and the audit log.
 */
import type { BatchDeps } from '../batch';
import type { Clock, Ledger } from '../ports';
import type { TxtResolver } from './spf';

export interface BudgetWindow {
  limit: number;
  remaining: number;
  /** Epoch ms at which the window resets; null when Exact has not said yet. */
  resetAt: number | null;
}

export interface ExactBudget {
  minutely: BudgetWindow;
  daily: BudgetWindow;
}

export interface OperatorTenant {
  name: string;
  /** Dispatch dependencies of this tenant (the same the worker uses), with its directory. */
  deps: BatchDeps;
  isConnected(): Promise<boolean>;
  budget(division: number): ExactBudget;
  activate(administrationId: string, activeFrom: string): Promise<void>;
  /** DNS for the SPF pre-flight of the plan. */
  dns: TxtResolver;
}

/** One operator action: who did what, when, to what, and how it ended. */
export interface AuditEntry {
  at: Date;
  /** The signed-in person (Entra ID `preferred_username`/`oid`), or `local` on loopback. */
  who: string;
  /** Plans are reads and are not recorded (decision 0091). */
  action: 'activate' | 'dispatch' | 'resend';
  tenant: string;
  /** What it acted on: an administration's division, or the number of rows. */
  target: string;
  outcome: 'ok' | 'error';
  /** Counts and dates; never a token, an address or a secret. */
  detail: Record<string, string | number | boolean | null>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(tenant: string, limit: number): Promise<AuditEntry[]>;
}

export interface OperatorDeps {
  tenants: OperatorTenant[];
  ledger: Ledger;
  clock: Clock;
  audit: AuditLog;
}

/** A tenant by name, or a typed error the API turns into 404. */
export function tenantNamed(deps: OperatorDeps, name: string): OperatorTenant {
  const t = deps.tenants.find((x) => x.name === name);
  if (!t) throw new OperatorInputError(`no tenant named ${name}`, 404);
  return t;
}

/** A request the operator can correct (unknown tenant or administration, a bad date): 400 or 404. */
export class OperatorInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
    this.name = 'OperatorInputError';
  }
}
