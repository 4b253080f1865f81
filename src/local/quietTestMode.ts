/**
 * Outside the Functions host, @azure/functions runs in "test mode" and warns on import and on every
 * registration, and reports the HTTP streaming setup as a debug line. In local mode that is expected;
 * muting exactly those lines keeps the console for what was dispatched. Imported first by the local
 * entry points.
 */
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const text = args.map(String).join(' ');
  if (text.includes('Switching "@azure/functions" package to test mode') || text.includes('Skipping call to register function')) return;
  warn(...args);
};
const debug = console.debug.bind(console);
console.debug = (...args: unknown[]) => {
  if (args.map(String).join(' ') === 'HTTP streaming enabled.') return;
  debug(...args);
};
export {};
