import { entityBySet, ERR, GUID, lookupColumn, newId, normalizeValue, ODataError, type EntityDef, type Row } from './model';
import { parseKey, type KeySpec } from './query';

export type DataverseSeed = Record<string, Array<Record<string, unknown>>>;

/** In-memory tables. Rows keep Dataverse's wire names; `versionnumber` drives `@odata.etag`. */
export class Store {
  private tables = new Map<string, Map<string, Row>>();
  private version = 1000;

  table(set: string): Map<string, Row> {
    let t = this.tables.get(set);
    if (!t) this.tables.set(set, (t = new Map()));
    return t;
  }

  clear(): void {
    this.tables.clear();
  }

  snapshot(): () => void {
    const copy = new Map([...this.tables].map(([set, rows]) => [set, new Map([...rows].map(([id, r]) => [id, structuredClone(r)]))]));
    return () => {
      this.tables = copy;
    };
  }

  etag(row: Row): string {
    return `W/"${String(row.versionnumber)}"`;
  }

  get(def: EntityDef, id: string): Row | undefined {
    return this.table(def.set).get(id.toLowerCase());
  }

  find(def: EntityDef, key: KeySpec): Row | undefined {
    if (key.kind === 'id') return this.get(def, key.id);
    const known = def.altKeys.some((cols) => cols.length === Object.keys(key.values).length && cols.every((c) => c in key.values));
    if (!known) throw ERR.badRequest(`Invalid alternate key for ${def.logical}: ${Object.keys(key.values).join(', ')}.`);
    return [...this.table(def.set).values()].find((row) =>
      Object.entries(key.values).every(([c, v]) => String(row[c] ?? '').toLowerCase() === String(v ?? '').toLowerCase()),
    );
  }

  /** Seed rows may use `_x_value` or `x@odata.bind`; binds are not checked so seeds may come in any order. */
  seed(seed: DataverseSeed): void {
    for (const [set, rows] of Object.entries(seed)) {
      const def = entityBySet(set);
      if (!def) throw new Error(`sandbox: unknown entity set ${set}`);
      for (const input of rows) {
        const row: Row = {};
        for (const [k, v] of Object.entries(input)) {
          if (k.endsWith('@odata.bind')) {
            const col = lookupColumn(def, k.slice(0, -'@odata.bind'.length));
            const ref = typeof v === 'string' ? parseRef(v) : null;
            if (!col || !ref || ref.key.kind !== 'id') throw new Error(`sandbox: seed bind ${k}=${String(v)} not understood`);
            row[col] = ref.key.id;
          } else row[k] = normalizeValue(k.startsWith('_') && typeof v === 'string' && GUID.test(v) ? v.toLowerCase() : v);
        }
        const id = typeof row[def.key] === 'string' ? (row[def.key] as string).toLowerCase() : newId();
        row[def.key] = id;
        row.versionnumber = ++this.version;
        const existing = this.get(def, id);
        this.table(def.set).set(id, existing ? { ...existing, ...row } : { statecode: 0, statuscode: 1, ...row });
      }
    }
  }

  create(def: EntityDef, body: Row, preset: Row = {}): Row {
    const requested = body[def.key];
    if (requested !== undefined && (typeof requested !== 'string' || !GUID.test(requested))) throw ERR.badRequest(`Invalid value for ${def.key}.`);
    const id = ((requested as string | undefined) ?? newId()).toLowerCase();
    if (this.get(def, id)) throw ERR.exists();
    // Every Dataverse row starts active (statecode 0); emails start as drafts (statuscode 1).
    const row: Row = { statecode: 0, statuscode: 1, ...preset, [def.key]: id };
    this.apply(def, row, body);
    row[def.key] = id;
    row.createdon = row.modifiedon = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    row.versionnumber = ++this.version;
    this.checkUnique(def, row);
    this.table(def.set).set(id, row);
    return row;
  }

  update(def: EntityDef, row: Row, body: Row): Row {
    if (body[def.key] !== undefined && String(body[def.key]).toLowerCase() !== row[def.key]) throw ERR.badRequest(`${def.key} cannot be changed.`);
    const next = { ...row };
    this.apply(def, next, body);
    next.modifiedon = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    next.versionnumber = ++this.version;
    this.checkUnique(def, next);
    this.table(def.set).set(String(row[def.key]), next);
    return next;
  }

  remove(def: EntityDef, row: Row): void {
    this.table(def.set).delete(String(row[def.key]));
  }

  /** Web API semantics: lookups only through `nav@odata.bind`; `_x_value` is read-only. */
  private apply(def: EntityDef, row: Row, body: Row): void {
    for (const [k, v] of Object.entries(body)) {
      if (k.endsWith('@odata.bind')) {
        const nav = k.slice(0, -'@odata.bind'.length);
        const col = lookupColumn(def, nav);
        if (!col) throw ERR.badRequest(`An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload.`);
        row[col] = v === null ? null : this.resolveBind(v);
      } else if (/^_\w+_value$/.test(k) || def.lookups[k] !== undefined) {
        throw ERR.badRequest(`Invalid property '${k}' was found in entity 'Microsoft.Dynamics.CRM.${def.logical}'.`);
      } else if (k !== def.key && !k.startsWith('@')) {
        row[k] = normalizeValue(v);
      }
    }
  }

  private resolveBind(value: unknown): string {
    const ref = typeof value === 'string' ? parseRef(value) : null;
    if (!ref) throw ERR.badRequest(`Invalid @odata.bind value '${String(value)}'.`);
    const target = entityBySet(ref.set);
    if (!target) throw new ODataError(400, '0x80060888', `Resource not found for the segment '${ref.set}'.`);
    const row = this.find(target, ref.key);
    if (!row) throw ERR.notFound(target.logical, ref.key.kind === 'id' ? ref.key.id : JSON.stringify(ref.key.values));
    return String(row[target.key]);
  }

  private checkUnique(def: EntityDef, row: Row): void {
    for (const cols of def.altKeys) {
      if (cols.some((c) => row[c] === undefined || row[c] === null)) continue;
      const clash = [...this.table(def.set).values()].find(
        (other) => other[def.key] !== row[def.key] && cols.every((c) => String(other[c]).toLowerCase() === String(row[c]).toLowerCase()),
      );
      if (clash) throw ERR.duplicateKey(cols);
    }
  }
}

/** `/set(key)`, `set(key)` or an absolute Web API URL. */
export function parseRef(value: string): { set: string; key: KeySpec } | null {
  const m = value.match(/(?:^|\/)([A-Za-z_]\w*)\(([^()]*)\)$/);
  if (!m) return null;
  return { set: m[1]!, key: parseKey(m[2]!) };
}
