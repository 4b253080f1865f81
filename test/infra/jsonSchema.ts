/**
 * A JSON Schema checker for the keywords test/infra/azd-schema.subset.json uses (draft 2019-09 meaning):
 * type, required, properties, additionalProperties, minProperties, items, enum, const, pattern, minLength,
 * maxLength, not, anyOf, allOf, if/then, $ref to #/definitions, and `false`. An unknown keyword is an error,
 * so the checker cannot silently pass a schema it does not understand.
 */
type Schema = boolean | { [keyword: string]: unknown };
const KNOWN = new Set([
  '$comment',
  'comment',
  'type',
  'required',
  'properties',
  'additionalProperties',
  'minProperties',
  'items',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'not',
  'anyOf',
  'allOf',
  'if',
  'then',
  '$ref',
  'definitions',
]);

const typeOf = (v: unknown): string =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v;

export function validate(schema: Schema, value: unknown, root: Schema = schema, at = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: not allowed`];
  for (const k of Object.keys(schema))
    if (!KNOWN.has(k)) throw new Error(`unsupported keyword ${k} at ${at}`);
  const s = schema as Record<string, unknown>;
  const errors: string[] = [];
  const sub = (child: unknown, v: unknown, path: string) => validate(child as Schema, v, root, path);
  if (typeof s.$ref === 'string') {
    const name = /^#\/definitions\/(\w+)$/.exec(s.$ref)?.[1];
    const target = name ? (root as { definitions?: Record<string, Schema> }).definitions?.[name] : undefined;
    if (target === undefined) throw new Error(`unresolved $ref ${s.$ref}`);
    errors.push(...sub(target, value, at));
  }
  if (typeof s.type === 'string' && typeOf(value) !== s.type) return [...errors, `${at}: must be ${s.type}`];
  if (Array.isArray(s.enum) && !s.enum.includes(value))
    errors.push(`${at}: must be one of ${s.enum.join(', ')}`);
  if ('const' in s && value !== s.const) errors.push(`${at}: must be ${String(s.const)}`);
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) errors.push(`${at}: too short`);
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) errors.push(`${at}: too long`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      errors.push(`${at}: must match ${s.pattern}`);
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of (s.required as string[] | undefined) ?? [])
      if (!(r in obj)) errors.push(`${at}: ${r} is required`);
    if (typeof s.minProperties === 'number' && Object.keys(obj).length < s.minProperties)
      errors.push(`${at}: too few properties`);
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) errors.push(...sub(props[k], v, `${at}.${k}`));
      else if (s.additionalProperties !== undefined)
        errors.push(...sub(s.additionalProperties, v, `${at}.${k}`));
    }
  }
  if (Array.isArray(value) && s.items !== undefined)
    value.forEach((v, i) => errors.push(...sub(s.items, v, `${at}[${i}]`)));
  if (s.not !== undefined && sub(s.not, value, at).length === 0)
    errors.push(`${at}: must not match ${JSON.stringify(s.not)}`);
  if (Array.isArray(s.anyOf) && !s.anyOf.some((a) => sub(a, value, at).length === 0))
    errors.push(`${at}: matches none of anyOf`);
  for (const a of (s.allOf as Schema[] | undefined) ?? []) errors.push(...sub(a, value, at));
  if (s.if !== undefined && s.then !== undefined && sub(s.if, value, at).length === 0)
    errors.push(...sub(s.then, value, at));
  return errors;
}
