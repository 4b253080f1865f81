/**
 * A clock that runs `factor` times faster than the wall clock, for the connector, Exact's sandbox and the
 * in-process queue at once: a sandbox minute passes in 60/factor real seconds, so the rate windows, token
 * lifetimes, leases and schedules all shrink together and stay consistent with each other.
 * Timers and sleeps given in clock milliseconds wait factor times less real time.
 */
import type { Clock } from '../../src/app/ports';
import type { Timers } from '../../src/adapters/queue/clock';

/** Where a CompressedClock stands: two processes holding the same state tell the same time (one wall clock). */
export interface ClockState {
  anchorReal: number;
  anchorNow: number;
  factor: number;
}

export class CompressedClock implements Clock, Timers {
  private anchorReal = Date.now();
  private anchorNow: number;
  private factorNow: number;

  constructor(factor = 1, start: number = Date.now()) {
    this.anchorNow = start;
    this.factorNow = factor;
  }

  static fromState(state: ClockState): CompressedClock {
    const clock = new CompressedClock();
    clock.adopt(state);
    return clock;
  }

  /** What another process needs to run this clock too (the sandbox child, decision 0101). */
  state(): ClockState {
    return { anchorReal: this.anchorReal, anchorNow: this.anchorNow, factor: this.factorNow };
  }

  adopt(state: ClockState): void {
    this.anchorReal = state.anchorReal;
    this.anchorNow = state.anchorNow;
    this.factorNow = state.factor;
  }

  get factor(): number {
    return this.factorNow;
  }

  nowMs(): number {
    return Math.floor(this.anchorNow + (Date.now() - this.anchorReal) * this.factorNow);
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Changes the speed from now on; time already passed stays. */
  setFactor(factor: number): void {
    if (!(factor > 0)) throw new Error('factor must be > 0');
    this.anchorNow = this.nowMs();
    this.anchorReal = Date.now();
    this.factorNow = factor;
  }

  /** Real milliseconds that `ms` of clock time take at the current speed. */
  real(ms: number): number {
    return Math.max(0, ms / this.factorNow);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    return setTimeout(fn, this.real(ms));
  }

  clearTimeout(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout);
  }

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => setTimeout(resolve, this.real(ms)));
}
