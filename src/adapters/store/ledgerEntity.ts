/**
 * Mapping between LedgerEntry and its Table Storage entity.
 * Dates are stored as ISO-8601 UTC strings: they sort and compare as text in OData filters and
 * round-trip to the millisecond, where Edm.DateTime would come back with SDK-specific typing.
 * Null columns are left out (Table Storage has no null; a Replace drops absent columns).
 */
import type { ReasonCode } from '../../domain/reasons';
import type { Channel, MessageFacts } from '../../domain/types';
import type { LedgerAttempt, LedgerEntry, LedgerKey, LedgerMail, LedgerState } from '../../app/ports';

/** Bounded so a row never approaches the 1 MB entity / 64 KB property limits. */
export const HISTORY_LIMIT = 20;
const MESSAGE_LIMIT = 4000;
const DETAIL_LIMIT = 500;

export interface LedgerEntity {
  partitionKey: string;
  rowKey: string;
  tenantId: string;
  division: number;
  invoiceId: string;
  state: LedgerState;
  attempts: number;
  writebackPending: boolean;
  history: string;
  updatedAt: string;
  leaseUntil?: string;
  reason?: string;
  /** The outcome's facts as JSON (its message is rendered from them). */
  facts?: string;
  message?: string;
  channel?: string;
  scheduledFor?: string;
  sentOn?: string;
  rowId?: string;
  invoiceNumber?: number;
  notifiedReason?: string;
  /** The Dynamics route's email as JSON (LedgerMail). */
  mail?: string;
}

/** Characters Table Storage forbids in keys; a key with them would fail far from its cause. */
// eslint-disable-next-line no-control-regex -- the control characters are what is forbidden
const FORBIDDEN_KEY_CHARS = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

export function normaliseKey(key: LedgerKey): LedgerKey {
  const normal = { tenantId: key.tenantId, division: key.division, invoiceId: key.invoiceId.toLowerCase() };
  if (!Number.isSafeInteger(normal.division)) throw new RangeError(`ledger key: division must be an integer`);
  for (const part of [normal.tenantId, normal.invoiceId]) {
    if (part.length === 0 || FORBIDDEN_KEY_CHARS.test(part)) {
      throw new RangeError(`ledger key: "${part}" is not usable in a Table Storage key`);
    }
  }
  return normal;
}

export function partitionKeyOf(tenantId: string, division: number): string {
  return `${tenantId}:${division}`;
}

export function toEntity(entry: Omit<LedgerEntry, 'etag'>): LedgerEntity {
  const key = normaliseKey(entry.key);
  const entity: LedgerEntity = {
    partitionKey: partitionKeyOf(key.tenantId, key.division),
    rowKey: key.invoiceId,
    tenantId: key.tenantId,
    division: key.division,
    invoiceId: key.invoiceId,
    state: entry.state,
    attempts: entry.attempts,
    writebackPending: entry.writebackPending,
    history: JSON.stringify(boundHistory(entry.history)),
    updatedAt: entry.updatedAt.toISOString(),
  };
  if (entry.leaseUntil) entity.leaseUntil = entry.leaseUntil.toISOString();
  if (entry.reason !== null) entity.reason = entry.reason;
  if (entry.facts !== null) entity.facts = JSON.stringify(entry.facts);
  if (entry.message !== null) entity.message = entry.message.slice(0, MESSAGE_LIMIT);
  if (entry.channel !== null) entity.channel = entry.channel;
  if (entry.scheduledFor) entity.scheduledFor = entry.scheduledFor.toISOString();
  if (entry.sentOn) entity.sentOn = entry.sentOn.toISOString();
  if (entry.rowId !== null) entity.rowId = entry.rowId;
  if (entry.invoiceNumber !== null) entity.invoiceNumber = entry.invoiceNumber;
  if (entry.notifiedReason !== null) entity.notifiedReason = entry.notifiedReason;
  if (entry.mail) entity.mail = JSON.stringify(entry.mail);
  return entity;
}

export function fromEntity(entity: Record<string, unknown>, etag: string): LedgerEntry {
  return {
    key: {
      tenantId: str(entity.tenantId) ?? '',
      division: Number(entity.division),
      invoiceId: str(entity.invoiceId) ?? str(entity.rowKey) ?? '',
    },
    state: str(entity.state) as LedgerState,
    etag,
    leaseUntil: date(entity.leaseUntil),
    attempts: Number(entity.attempts ?? 0),
    reason: (str(entity.reason) ?? null) as ReasonCode | null,
    facts: parseFacts(entity.facts),
    message: str(entity.message) ?? null,
    channel: (str(entity.channel) ?? null) as Channel | null,
    scheduledFor: date(entity.scheduledFor),
    sentOn: date(entity.sentOn),
    rowId: str(entity.rowId) ?? null,
    writebackPending: entity.writebackPending === true,
    invoiceNumber: typeof entity.invoiceNumber === 'number' ? entity.invoiceNumber : null,
    notifiedReason: (str(entity.notifiedReason) ?? null) as ReasonCode | null,
    history: parseHistory(entity.history),
    updatedAt: date(entity.updatedAt) ?? new Date(0),
    mail: parseMail(entity.mail),
  };
}

export function boundHistory(history: LedgerAttempt[]): LedgerAttempt[] {
  return history.slice(-HISTORY_LIMIT).map((a) => {
    const bounded: LedgerAttempt = { at: a.at, outcome: a.outcome, reason: a.reason };
    if (a.detail !== undefined) bounded.detail = a.detail.slice(0, DETAIL_LIMIT);
    return bounded;
  });
}

function parseHistory(raw: unknown): LedgerAttempt[] {
  if (typeof raw !== 'string' || raw === '') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as LedgerAttempt[]) : [];
  } catch {
    // A damaged history must not make the entry unreadable: the state columns are what count.
    return [];
  }
}

function parseFacts(raw: unknown): MessageFacts | null {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as MessageFacts) : null;
  } catch {
    // Damaged facts: the stored message is shown as it is (see record.ts).
    return null;
  }
}

/** A damaged mail column reads as none: the mail step then starts again under the same email id. */
function parseMail(raw: unknown): LedgerMail | null {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const parsed = JSON.parse(raw) as Partial<LedgerMail> | null;
    return parsed && typeof parsed.emailId === 'string' && parsed.plan ? (parsed as LedgerMail) : null;
  } catch {
    return null;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function date(v: unknown): Date | null {
  if (v instanceof Date) return v;
  if (typeof v !== 'string' || v === '') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}
