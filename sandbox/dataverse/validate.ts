import { LOOKUP_TYPES, navigation, readableName, type Column, type TableView } from './columns';
import { ERR, GUID, type Row } from './model';

/**
 * What Dataverse refuses in a request, checked against the held metadata before anything is read or
 * written: unknown names in `$select`/`$filter`/`$orderby`, and in a body unknown properties, values of
 * the wrong JSON type, choices outside their option set, text over its maximum length, a time in a
 * date-only column. (A bind to a missing row is refused by the store, which resolves it.)
 */
export function checkReadable(view: TableView, names: Iterable<string>): void {
  for (const n of names) if (!readableName(view, n)) throw ERR.noProperty(n, view.logical);
}

export function orderByColumns(spec: string): string[] {
  return spec
    .split(',')
    .map((s) => s.trim().split(/\s+/)[0]!)
    .filter(Boolean);
}

export function checkBody(view: TableView, body: Row): void {
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@') || (k.includes('@') && !k.endsWith('@odata.bind'))) continue;
    if (k.endsWith('@odata.bind')) {
      const nav = k.slice(0, -'@odata.bind'.length);
      if (!navigation(view, nav)) throw ERR.payload(view.set, undeclared(nav));
      continue;
    }
    if (view.collections.has(k)) continue;
    const col = view.columns.get(k);
    if (!col)
      throw ERR.payload(
        view.set,
        `The property '${k}' does not exist on type 'Microsoft.Dynamics.CRM.${view.logical}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    checkValue(view, col, v);
  }
}

const undeclared = (nav: string): string =>
  `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`;

const EDM: Record<string, string> = {
  String: 'Edm.String',
  Memo: 'Edm.String',
  Virtual: 'Edm.String',
  Integer: 'Edm.Int32',
  Picklist: 'Edm.Int32',
  State: 'Edm.Int32',
  Status: 'Edm.Int32',
  BigInt: 'Edm.Int64',
  Boolean: 'Edm.Boolean',
  Uniqueidentifier: 'Edm.Guid',
};

export function edmType(col: Column): string {
  if (col.type === 'DateTime') return col.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset';
  return EDM[col.type] ?? 'Edm.Guid';
}

function checkValue(view: TableView, col: Column, v: unknown): void {
  if (LOOKUP_TYPES.has(col.type))
    throw ERR.payload(
      view.set,
      "A 'PrimitiveValue' node with non-null value was found when trying to read the value of a navigation property; however, a 'StartArray' node, a 'StartObject' node, or a 'PrimitiveValue' node with null value was expected.",
    );
  if (v === null) return;
  const edm = edmType(col);
  if (typeof v === 'object')
    throw ERR.payload(
      view.set,
      `An unexpected '${Array.isArray(v) ? 'StartArray' : 'StartObject'}' node was found for property named '${col.name}' when reading from the JSON reader. A 'PrimitiveValue' node was expected.`,
    );
  const literal = (): never => {
    throw ERR.payload(view.set, `Cannot convert the literal '${String(v)}' to the expected type '${edm}'.`);
  };
  if (edm === 'Edm.String') {
    if (typeof v !== 'string') {
      const found = typeof v === 'boolean' ? 'Edm.Boolean' : Number.isInteger(v) ? 'Edm.Int32' : 'Edm.Double';
      throw ERR.payload(
        view.set,
        `An incompatible primitive type '${found}[Nullable=False]' was found for an item that was expected to be of type 'Edm.String[Nullable=True]'.`,
      );
    }
    if (col.type === 'Virtual') return checkChoices(view, col, v);
    if (col.maxLength !== undefined && v.length > col.maxLength)
      throw ERR.tooLong(col.name, view.logical, col.maxLength);
    return;
  }
  if (edm === 'Edm.Int32' || edm === 'Edm.Int64') {
    if (typeof v !== 'number' || !Number.isInteger(v)) return literal();
    if (col.options && !col.options.has(v))
      throw ERR.outOfRange(v, col.name, view.logical, [...col.options.keys()]);
    if ((col.min !== undefined && v < col.min) || (col.max !== undefined && v > col.max))
      throw ERR.outOfRange(v, col.name, view.logical, [col.min ?? 0, col.max ?? 0]);
    return;
  }
  if (edm === 'Edm.Boolean') return void (typeof v !== 'boolean' && literal());
  if (edm === 'Edm.Guid') return void ((typeof v !== 'string' || !GUID.test(v)) && literal());
  if (typeof v !== 'string') return literal();
  if (edm === 'Edm.Date' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return literal();
  if (
    edm === 'Edm.DateTimeOffset' &&
    (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ||
      Number.isNaN(Date.parse(v)))
  )
    return literal();
}

/** A multi-select choice arrives as "1,2" (Web API form of OptionSetValueCollection). */
function checkChoices(view: TableView, col: Column, v: string): void {
  if (v === '') return;
  for (const part of v.split(',')) {
    const n = Number(part);
    if (!/^-?\d+$/.test(part.trim()))
      throw ERR.payload(view.set, `Cannot convert the literal '${v}' to the expected type 'Edm.String'.`);
    if (col.options && !col.options.has(n))
      throw ERR.outOfRange(n, col.name, view.logical, [...col.options.keys()]);
  }
}

/**
 * Seeds bypass the value checks (an import may set `_x_value` directly) but not the names: a seed column
 * the table does not have would make the sandbox hold data Dataverse cannot hold.
 */
export function checkSeedRow(view: TableView, row: Row): void {
  for (const k of Object.keys(row)) {
    if (
      k.endsWith('@odata.bind')
        ? navigation(view, k.slice(0, -'@odata.bind'.length))
        : readableName(view, k) || view.collections.has(k)
    )
      continue;
    throw new Error(`sandbox: seed column ${k} does not exist on ${view.logical}`);
  }
}
