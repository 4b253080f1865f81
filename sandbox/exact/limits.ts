/**
 * Exact's API limits (reference §4): a minutely and a daily budget per (app, division) with the six
 * X-RateLimit headers (resets in UTC epoch ms: next minute boundary, next 00:00 UTC), and the error
 * limit: more than 10 responses 400/401/403/404 in an hour on one endpoint for one (app, user, division)
 * blocks that endpoint for an hour.
 */
import { type Reply, errorReply } from './http';

const MINUTE = 60_000;
const DAY = 24 * 3600_000;
const HOUR = 3600_000;
export const ERROR_LIMIT = 10;

interface Window {
  start: number;
  used: number;
}

export class RateLimits {
  private minute = new Map<string, Window>();
  private day = new Map<string, Window>();

  constructor(
    private minutelyLimit: number,
    private dailyLimit: number,
  ) {}

  reset(): void {
    this.minute.clear();
    this.day.clear();
  }

  private window(map: Map<string, Window>, key: string, size: number, now: number): Window {
    const start = Math.floor(now / size) * size;
    let w = map.get(key);
    if (!w || w.start !== start) map.set(key, (w = { start, used: 0 }));
    return w;
  }

  /** Counts one call; returns the headers to send, or a 429 reply when a budget is spent. */
  take(key: string, now: number): { headers: Record<string, string> } | { refused: Reply } {
    const m = this.window(this.minute, key, MINUTE, now);
    const d = this.window(this.day, key, DAY, now);
    const minutely = {
      'X-RateLimit-Minutely-Limit': String(this.minutelyLimit),
      'X-RateLimit-Minutely-Remaining': String(Math.max(0, this.minutelyLimit - m.used)),
      'X-RateLimit-Minutely-Reset': String(m.start + MINUTE),
    };
    const daily = {
      'X-RateLimit-Limit': String(this.dailyLimit),
      'X-RateLimit-Remaining': String(Math.max(0, this.dailyLimit - d.used)),
      'X-RateLimit-Reset': String(d.start + DAY),
    };
    // A daily 429 carries only the daily headers, a minutely one only the minutely headers (PQ README, PQ#646).
    if (d.used >= this.dailyLimit) return { refused: errorReply(429, 'API rate limit exceeded.', daily) };
    if (m.used >= this.minutelyLimit)
      return { refused: errorReply(429, 'API rate limit exceeded.', minutely) };
    m.used++;
    d.used++;
    minutely['X-RateLimit-Minutely-Remaining'] = String(this.minutelyLimit - m.used);
    daily['X-RateLimit-Remaining'] = String(this.dailyLimit - d.used);
    return { headers: { ...daily, ...minutely } };
  }
}

export class ErrorBlock {
  private errors = new Map<string, number[]>();
  private blockedUntil = new Map<string, number>();

  reset(): void {
    this.errors.clear();
    this.blockedUntil.clear();
  }

  /**
   * While blocked, the endpoint answers like a rate-limit refusal, "API rate limit exceeded." (what users of
   * a blocked app see: 1Archive help, "Booking documents is giving an 'API rate limit exceeded' error"),
   * but without budget headers: the call is not counted and no budget is exhausted [choice: Exact
   * documents no headers for the block]. No Retry-After: Exact documents none, clients wait the hour.
   */
  blocked(key: string, now: number): Reply | null {
    const until = this.blockedUntil.get(key);
    if (until === undefined || until <= now) return null;
    return errorReply(429, 'API rate limit exceeded.');
  }

  record(key: string, status: number, now: number): void {
    if (![400, 401, 403, 404].includes(status)) return;
    const recent = (this.errors.get(key) ?? []).filter((t) => t > now - HOUR);
    recent.push(now);
    this.errors.set(key, recent);
    if (recent.length > ERROR_LIMIT) {
      this.blockedUntil.set(key, now + HOUR);
      this.errors.set(key, []);
    }
  }
}
