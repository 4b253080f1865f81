/**
 * Time for the in-process queue: a real clock for `npm start`, a manual one for tests
 * (advance it and scheduled messages and backoffs are released, no sleeping).
 */
import type { Clock } from '../../app/ports';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = { now: () => new Date() };

export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    // Unref'd: a queue waiting on a far-off scheduled message must not keep a finished process alive.
    return setTimeout(fn, ms).unref();
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

interface ManualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/** `const clock = new ManualClock('2025-03-01T10:00:00Z'); clock.advance(60_000);` fires due timers in time order. */
export class ManualClock implements Clock, Timers {
  private ms: number;
  private timers: ManualTimer[] = [];
  private nextId = 1;

  constructor(start: Date | string | number = 0) {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.ms + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward by `ms`, running each timer due on the way at its own instant. */
  advance(ms: number): void {
    this.advanceTo(this.ms + ms);
  }

  advanceTo(to: Date | string | number): void {
    const target = new Date(to).getTime();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.ms = Math.max(this.ms, due.at);
      due.fn();
    }
    this.ms = Math.max(this.ms, target);
  }

  /** Timers not yet fired (for assertions about what is pending). */
  pendingTimers(): number {
    return this.timers.length;
  }
}

/** Whether a clock also schedules timers (a ManualClock does). */
export function isTimers(x: unknown): x is Timers {
  return typeof (x as Timers | undefined)?.setTimeout === 'function';
}
