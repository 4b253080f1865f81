/**
 * Structured log hook of the Exact adapter. Fields are ids, counts, statuses and paths: never a header,
 * a token, a form body or a secret. The host wires it to its logger (context.log, console).
 */
export type ExactLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type ExactLog = (level: ExactLogLevel, message: string, fields?: Record<string, unknown>) => void;

export const silentLog: ExactLog = () => undefined;
