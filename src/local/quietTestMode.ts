/**
 * Outside the Functions host, @azure/functions runs in "test mode" and warns on import and on every
 * registration. In local mode that is expected; muting exactly those two warnings keeps the console
 * for what was dispatched. Imported first by the local entry points.
 */
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const text = args.map(String).join(' ');
  if (
    text.includes('Switching "@azure/functions" package to test mode') ||
    text.includes('Skipping call to register function')
  )
    return;
  warn(...args);
};
export {};
