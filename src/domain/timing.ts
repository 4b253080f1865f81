/**
 * Wall-clock arithmetic in IANA zones with nothing but Intl (no date library): PRODUCT.md §4 "Timing".
 * All functions are pure; formatters are cached per zone because building one costs far more than using it.
 */

/** The product default (PRODUCT.md §2 eol_timezone); also the fallback for a zone Intl does not know (ADR 0004). */
export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

/** Scheduled sends go out at 00:05 local time on the invoice date. */
export const SEND_TIME_OF_DAY = { hour: 0, minute: 5 } as const;

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  if (formatters.has(zone)) return formatters.get(zone) ?? null;
  let f: Intl.DateTimeFormat | null;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    f = null;
  }
  // Zones come from configuration, so a handful in practice; the cap only guards against junk input.
  if (formatters.size >= 500) formatters.clear();
  formatters.set(zone, f);
  return f;
}

export function isValidTimeZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length > 0 && formatterFor(zone) !== null;
}

/** The zone to compute in: the administration's when Intl knows it, else the product default. */
export function effectiveTimeZone(zone: unknown): string {
  return isValidTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `zone` at `instant` (ms since epoch). */
export function wallTimeAt(instantMs: number, zone: string): WallTime {
  const f = formatterFor(effectiveTimeZone(zone)) as Intl.DateTimeFormat;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function wallAsUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** Offset of `zone` from UTC at `instant`, in ms (Amsterdam in summer: +7_200_000). */
export function zoneOffsetMs(instantMs: number, zone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallAsUtcMs(wallTimeAt(whole, zone)) - whole;
}

/**
 * The instant at which the wall clock in `zone` shows `wall`.
 * On a day the clocks go forward through that time (it does not exist), the instant after the gap is taken:
 * e.g. 00:05 in a zone that jumps from 00:00 to 01:00 gives 01:05 local. When the clocks go back and the time
 * occurs twice, the earlier instant is taken.
 */
export function zonedWallTimeToInstant(wall: WallTime, zone: string): number {
  const asUtc = wallAsUtcMs(wall);
  const day = 86_400_000;
  // Every offset in force within a day either side; real zones change offset at most once in that window.
  const offsets = new Set([
    zoneOffsetMs(asUtc - day, zone),
    zoneOffsetMs(asUtc, zone),
    zoneOffsetMs(asUtc + day, zone),
  ]);
  const matches = [...offsets]
    .map((o) => asUtc - o)
    .filter((t) => wallAsUtcMs(wallTimeAt(t, zone)) === asUtc);
  if (matches.length > 0) return Math.min(...matches);
  // In a gap: keep the offset from before the change, which lands just as far past the gap as `wall` was into it.
  return asUtc - zoneOffsetMs(asUtc - day, zone);
}

/** `YYYY-MM-DD` as a real calendar date, else null. */
export function parseDateOnly(raw: unknown): { year: number; month: number; day: number } | null {
  if (typeof raw !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const probe = new Date(Date.UTC(year, month - 1, day));
  const real =
    probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  return real ? { year, month, day } : null;
}

/** 00:05 on the invoice date in `zone`, or null when the date is not a real `YYYY-MM-DD`. */
export function invoiceDateSendInstant(invoiceDate: string, zone: string): Date | null {
  const d = parseDateOnly(invoiceDate);
  if (d === null) return null;
  const ms = zonedWallTimeToInstant({ ...d, ...SEND_TIME_OF_DAY, second: 0 }, effectiveTimeZone(zone));
  return new Date(ms);
}

/** `YYYY-MM-DD HH:mm` on the wall clock of `zone`, for messages. */
export function formatWallTime(instant: Date, zone: string): string {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return '?';
  const w = wallTimeAt(ms, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}`;
}
