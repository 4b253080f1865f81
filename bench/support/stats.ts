/** Small numeric helpers for the benchmark and chaos reports. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export const round = (n: number, digits = 2): number => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

export function countBy<T>(items: Iterable<T>, key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) {
    const k = key(it);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

export const peakRssMb = (): number => round(process.resourceUsage().maxRSS / 1024, 1);

/** `--name value` / `--flag` parsing for the two commands; unknown flags are an error, not a surprise. */
export function parseFlags<T extends Record<string, number | boolean>>(argv: string[], defaults: T): T {
  const out: Record<string, number | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const name = arg.slice(2).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!(name in defaults))
      throw new Error(
        `unknown flag ${arg}; known: ${Object.keys(defaults)
          .map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)
          .join(' ')}`,
      );
    if (typeof defaults[name] === 'boolean') out[name] = true;
    else {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value)) throw new Error(`${arg} needs a number`);
      out[name] = value;
    }
  }
  return out as T;
}
