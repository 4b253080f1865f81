/**
 * The sandbox's clock. By default it is the real (or injected) clock; tests move it with set/advance,
 * and a factor > 1 compresses time (a day in minutes) for soak runs.
 */
export interface SandboxClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
  setFactor(factor: number): void;
  reset(): void;
}

export function createClock(base: () => number = Date.now): SandboxClock {
  let anchorBase = base();
  let anchorNow = anchorBase;
  let factor = 1;
  const now = (): number => Math.floor(anchorNow + (base() - anchorBase) * factor);
  const reanchor = (at: number): void => {
    anchorBase = base();
    anchorNow = at;
  };
  return {
    now,
    set: (ms) => reanchor(ms),
    advance: (ms) => reanchor(now() + ms),
    setFactor: (f) => {
      if (!(f > 0)) throw new Error('clock factor must be > 0');
      reanchor(now());
      factor = f;
    },
    reset: () => {
      factor = 1;
      anchorBase = base();
      anchorNow = anchorBase;
    },
  };
}
