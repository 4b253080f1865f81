/**
 * The one logger. Every line passes through redaction of the secrets registered at start-up
 * (client secrets, webhook secrets, licences, tokens as they are issued), so a careless
 * interpolation cannot leak one. Sinks: console locally, the Functions context / App Insights in Azure.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (level: LogLevel, line: string) => void;

export interface Logger {
  debug(message: string, props?: Record<string, unknown>): void;
  info(message: string, props?: Record<string, unknown>): void;
  warn(message: string, props?: Record<string, unknown>): void;
  error(message: string, props?: Record<string, unknown>): void;
}

const secrets = new Set<string>();
/** Tokens rotate (Exact: every 10 minutes); the most recent ones are kept, the rest are dead anyway. */
const rotating = new Set<string>();
const ROTATING_KEPT = 512;

/** Registers a value that must never appear in output. Short values are ignored (too many false hits). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) secrets.add(value);
}

/** The same for a token that is replaced over time: only the newest ROTATING_KEPT stay registered. */
export function registerRotatingSecret(value: string | undefined | null): void {
  if (!value || value.length < 8 || secrets.has(value)) return;
  rotating.delete(value);
  rotating.add(value);
  if (rotating.size > ROTATING_KEPT) rotating.delete(rotating.values().next().value!);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  for (const s of rotating) if (out.includes(s)) out = out.split(s).join('[redacted]');
  // Bearer tokens and JWS-shaped strings never belong in a log, registered or not.
  return out
    .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi, '$1[redacted]')
    .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[redacted-jws]');
}

export function createLogger(sink: LogSink, minLevel: LogLevel = 'info'): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const emit = (level: LogLevel, message: string, props?: Record<string, unknown>) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return;
    const suffix = props && Object.keys(props).length ? ` ${safeJson(props)}` : '';
    sink(level, redact(`${message}${suffix}`));
  };
  return {
    debug: (m, p) => emit('debug', m, p),
    info: (m, p) => emit('info', m, p),
    warn: (m, p) => emit('warn', m, p),
    error: (m, p) => emit('error', m, p),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) =>
      v instanceof Error ? { name: v.name, message: v.message } : v,
    );
  } catch {
    return '[unserialisable]';
  }
}

export const consoleSink: LogSink = (level, line) => {
  (level === 'error' ? console.error : level === 'warn' ? console.warn : console.log)(line);
};
