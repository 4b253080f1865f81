/** Injected faults, matched by method and path, each for a number of requests. Unused = no effect. */
import type { FaultKind, FaultSpec } from './types';
import { type Reply, errorReply } from './http';

interface ActiveFault {
  method: string | null;
  test: (path: string) => boolean;
  kind: FaultKind;
  remaining: number;
  body: string | undefined;
  holdMs: number;
}

export class Faults {
  private list: ActiveFault[] = [];

  add(f: FaultSpec): void {
    const pattern = f.path;
    const test =
      typeof pattern === 'string'
        ? (p: string) => p.toLowerCase().includes(pattern.toLowerCase())
        : (p: string) => pattern.test(p);
    this.list.push({
      method: f.method?.toUpperCase() ?? null,
      test,
      kind: f.kind,
      remaining: f.count ?? 1,
      body: f.body,
      holdMs: f.holdMs ?? 30_000,
    });
  }

  clear(): void {
    this.list = [];
  }

  /** Takes one use of the first fault that matches. */
  take(method: string, path: string): ActiveFault | null {
    const f = this.list.find(
      (x) => x.remaining > 0 && (x.method === null || x.method === method) && x.test(path),
    );
    if (!f) return null;
    f.remaining--;
    this.list = this.list.filter((x) => x.remaining > 0);
    return f;
  }
}

/** The reply of a 429/500/503 fault; a 429 looks like Exact's minutely refusal. */
export function faultReply(
  kind: '429' | '500' | '503',
  body: string | undefined,
  now: number,
  minutelyLimit: number,
): Reply {
  if (kind === '429') {
    const reset = Math.floor(now / 60_000) * 60_000 + 60_000;
    return errorReply(429, body ?? 'API rate limit exceeded.', {
      'X-RateLimit-Minutely-Limit': String(minutelyLimit),
      'X-RateLimit-Minutely-Remaining': '0',
      'X-RateLimit-Minutely-Reset': String(reset),
    });
  }
  return errorReply(
    Number(kind),
    body ?? (kind === '500' ? 'Internal server error.' : 'Service unavailable.'),
  );
}
