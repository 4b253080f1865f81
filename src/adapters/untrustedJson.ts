/**
 * JSON from outside (webhook bodies, Service Bus messages, token answers): every object is built with a
 * null prototype, so a `"__proto__"` key is an ordinary property and can never replace a prototype.
 * Callers bound the nesting first (the reviver recurses).
 */
export function parseUntrustedJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.assign(Object.create(null) as object, value)
      : value,
  );
}
