import {
  entityBySet,
  ERR,
  GUID,
  lookupColumn,
  newId,
  normalizeValue,
  ODataError,
  type EntityDef,
  type Row,
} from './model';
import { parseKey, type KeySpec } from './query';

export type DataverseSeed = Record<string, Array<Record<string, unknown>>>;

/**
 * In-memory tables. Rows keep Dataverse's wire names; `versionnumber` drives `@odata.etag`.
 * Alternate keys are indexed (a lookup or uniqueness check does not scan the table), and a `$batch`
 * changeset runs in `transaction`, which undoes exactly the rows it touched when it fails.
 */
export class Store {
  private tables = new Map<string, Map<string, Row>>();
  private version = 1000;
  /** `${set}|${cols}` → alternate-key value → ids of the rows holding it (seeds may hold duplicates). */
  private altIndexes = new Map<string, Map<string, Set<string>>>();
  /** While a changeset runs: each touched row's state before it (undefined: it did not exist). */
  private journal: Map<string, { set: string; id: string; before: Row | undefined }> | null = null;

  table(set: string): Map<string, Row> {
    let t = this.tables.get(set);
    if (!t) this.tables.set(set, (t = new Map()));
    return t;
  }

  clear(): void {
    this.tables.clear();
    this.altIndexes.clear();
  }

  /** Runs a changeset: all of its writes, or (when it throws) none of them. */
  transaction<T>(run: () => T): T {
    if (this.journal) return run();
    const journal = (this.journal = new Map());
    try {
      return run();
    } catch (err) {
      for (const { set, id, before } of [...journal.values()].reverse()) {
        const current = this.table(set).get(id);
        if (current) this.unindex(set, current);
        if (before) this.put(set, before);
        else this.table(set).delete(id);
      }
      throw err;
    } finally {
      this.journal = null;
    }
  }

  etag(row: Row): string {
    return `W/"${String(row.versionnumber)}"`;
  }

  get(def: EntityDef, id: string): Row | undefined {
    return this.table(def.set).get(id.toLowerCase());
  }

  find(def: EntityDef, key: KeySpec): Row | undefined {
    if (key.kind === 'id') return this.get(def, key.id);
    const cols = def.altKeys.find(
      (k) => k.length === Object.keys(key.values).length && k.every((c) => c in key.values),
    );
    if (!cols)
      throw ERR.badRequest(
        `Invalid alternate key for ${def.logical}: ${Object.keys(key.values).join(', ')}.`,
      );
    const value = altValue(cols, key.values);
    const [id] = value === null ? [] : (this.altIndex(def.set, cols).get(value) ?? []);
    return id === undefined ? undefined : this.table(def.set).get(id);
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
            if (!col || !ref || ref.key.kind !== 'id')
              throw new Error(`sandbox: seed bind ${k}=${String(v)} not understood`);
            row[col] = ref.key.id;
          } else
            row[k] = normalizeValue(
              k.startsWith('_') && typeof v === 'string' && GUID.test(v) ? v.toLowerCase() : v,
            );
        }
        const id = typeof row[def.key] === 'string' ? (row[def.key] as string).toLowerCase() : newId();
        row[def.key] = id;
        row.versionnumber = ++this.version;
        const existing = this.get(def, id);
        this.write(
          def.set,
          existing ? { ...existing, ...row } : { statecode: 0, statuscode: 1, ...row },
          def.key,
        );
      }
    }
  }

  create(def: EntityDef, body: Row, preset: Row = {}): Row {
    const requested = body[def.key];
    if (requested !== undefined && (typeof requested !== 'string' || !GUID.test(requested)))
      throw ERR.badRequest(`Invalid value for ${def.key}.`);
    const id = ((requested as string | undefined) ?? newId()).toLowerCase();
    if (this.get(def, id)) throw ERR.exists();
    // Every Dataverse row starts active (statecode 0); emails start as drafts (statuscode 1).
    const row: Row = { statecode: 0, statuscode: 1, ...preset, [def.key]: id };
    this.apply(def, row, body);
    row[def.key] = id;
    row.createdon = row.modifiedon = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    row.versionnumber = ++this.version;
    this.checkUnique(def, row);
    this.write(def.set, row, def.key);
    return row;
  }

  update(def: EntityDef, row: Row, body: Row): Row {
    if (body[def.key] !== undefined && String(body[def.key]).toLowerCase() !== row[def.key])
      throw ERR.badRequest(`${def.key} cannot be changed.`);
    const next = { ...row };
    this.apply(def, next, body);
    next.modifiedon = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    next.versionnumber = ++this.version;
    this.checkUnique(def, next);
    this.write(def.set, next, def.key);
    return next;
  }

  remove(def: EntityDef, row: Row): void {
    const id = String(row[def.key]);
    const current = this.table(def.set).get(id);
    if (!current) return;
    this.remember(def.set, id, current);
    this.unindex(def.set, current);
    this.table(def.set).delete(id);
  }

  /** Every write goes through here: it keeps the alternate-key indexes and the changeset journal. */
  private write(set: string, row: Row, keyColumn: string): void {
    const id = String(row[keyColumn]);
    const current = this.table(set).get(id);
    this.remember(set, id, current);
    if (current) this.unindex(set, current);
    this.put(set, row);
  }

  private remember(set: string, id: string, before: Row | undefined): void {
    const slot = `${set}|${id}`;
    if (this.journal && !this.journal.has(slot)) this.journal.set(slot, { set, id, before });
  }

  private put(set: string, row: Row): void {
    const def = entityBySet(set)!;
    const id = String(row[def.key]);
    this.table(set).set(id, row);
    for (const cols of def.altKeys) {
      const index = this.altIndexes.get(`${set}|${cols.join(',')}`);
      const value = altValue(cols, row);
      if (!index || value === null) continue;
      index.set(value, (index.get(value) ?? new Set()).add(id));
    }
  }

  private unindex(set: string, row: Row): void {
    const def = entityBySet(set)!;
    for (const cols of def.altKeys) {
      const value = altValue(cols, row);
      if (value !== null)
        this.altIndexes
          .get(`${set}|${cols.join(',')}`)
          ?.get(value)
          ?.delete(String(row[def.key]));
    }
  }

  /** Built on first use from the table, then kept by `put`/`unindex`. */
  private altIndex(set: string, cols: string[]): Map<string, Set<string>> {
    const name = `${set}|${cols.join(',')}`;
    let index = this.altIndexes.get(name);
    if (!index) {
      index = new Map();
      const keyColumn = entityBySet(set)!.key;
      for (const row of this.table(set).values()) {
        const value = altValue(cols, row);
        if (value !== null) index.set(value, (index.get(value) ?? new Set()).add(String(row[keyColumn])));
      }
      this.altIndexes.set(name, index);
    }
    return index;
  }

  /** Web API semantics: lookups only through `nav@odata.bind`; `_x_value` is read-only. */
  private apply(def: EntityDef, row: Row, body: Row): void {
    for (const [k, v] of Object.entries(body)) {
      if (k.endsWith('@odata.bind')) {
        const nav = k.slice(0, -'@odata.bind'.length);
        const col = lookupColumn(def, nav);
        if (!col)
          throw ERR.badRequest(
            `An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload.`,
          );
        row[col] = v === null ? null : this.resolveBind(v);
      } else if (/^_\w+_value$/.test(k) || def.lookups[k] !== undefined) {
        throw ERR.badRequest(
          `Invalid property '${k}' was found in entity 'Microsoft.Dynamics.CRM.${def.logical}'.`,
        );
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
    if (!row)
      throw ERR.notFound(target.logical, ref.key.kind === 'id' ? ref.key.id : JSON.stringify(ref.key.values));
    return String(row[target.key]);
  }

  private checkUnique(def: EntityDef, row: Row): void {
    for (const cols of def.altKeys) {
      const value = altValue(cols, row);
      if (value === null) continue;
      const holders = this.altIndex(def.set, cols).get(value);
      if (holders && [...holders].some((id) => id !== row[def.key])) throw ERR.duplicateKey(cols);
    }
  }
}

/** An alternate key's value as one case-insensitive string; null when a column is empty (not indexed, never unique). */
function altValue(cols: string[], row: Row): string | null {
  if (cols.some((c) => row[c] === undefined || row[c] === null)) return null;
  return cols.map((c) => String(row[c]).toLowerCase()).join('\u0000');
}

/** `/set(key)`, `set(key)` or an absolute Web API URL. */
export function parseRef(value: string): { set: string; key: KeySpec } | null {
  const m = value.match(/(?:^|\/)([A-Za-z_]\w*)\(([^()]*)\)$/);
  if (!m) return null;
  return { set: m[1]!, key: parseKey(m[2]!) };
}
