/**
 * A clock that runs at real speed but reads 12:00 UTC today, for tests that pin the demo's outcomes: the demo's
 * invoice dated tomorrow is scheduled for 00:05 Amsterdam time, which is 23:05 (22:05 in summer) UTC today, so
 * from then on a real clock sends it at once. Pass it as the connector's and Exact's clock, with its `today`.
 */
import type { Clock } from '../../src/app/ports';

export function middayClock(): { clock: Clock; today: Date; isoDay(offset: number): string } {
  const now = new Date();
  const midday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12);
  const shift = midday - now.getTime();
  const clock = { now: () => new Date(Date.now() + shift) };
  return {
    clock,
    today: clock.now(),
    isoDay: (offset) => new Date(clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10),
  };
}
