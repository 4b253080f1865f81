import { ERR, newId, ODataError, type Row } from './model';
import { parseExpand, parseKey, parseSelect, type ExpandItem } from './query';
import {
  MetadataStore,
  NS,
  optionRow,
  toLabel,
  typeName,
  type EntityEntry,
  type Label,
} from './metadataStore';
import { RegistrationRows } from './metadataRows';
import type { ApiRequest, ApiResponse } from './webapi';

/**
 * The Web API metadata endpoints provisioning uses: EntityDefinitions (+ /Attributes, /Keys),
 * GlobalOptionSetDefinitions, RelationshipDefinitions, the InsertOptionValue / UpdateOptionValue /
 * PublishXml actions, and the plug-in registration tables (serviceendpoints, sdkmessages,
 * sdkmessagefilters, sdkmessageprocessingsteps). Metadata updates are PUT, as in Dataverse.
 */
const SEGMENTS =
  /^(EntityDefinitions|GlobalOptionSetDefinitions|RelationshipDefinitions|InsertOptionValue|UpdateOptionValue|PublishXml)(?:\(([^)]*)\))?(?:\/(.*))?$/;

export class MetadataSandbox {
  store!: MetadataStore;
  rows!: RegistrationRows;

  constructor(private readonly base: () => string) {
    this.reset();
  }

  reset(): void {
    this.rows = new RegistrationRows();
    this.store = new MetadataStore((logical) => this.rows.addMessageFilters(logical));
  }

  /** Answers a metadata request, or null when the path is not metadata (the data tables handle it). */
  handle(req: ApiRequest): ApiResponse | null {
    const path = decodeURIComponent(req.path);
    const rows = this.rows.handle(req, path, this.base(), (entity, attribute) =>
      this.hasAttribute(entity, attribute),
    );
    if (rows) return rows;
    const m = SEGMENTS.exec(path);
    if (!m) return null;
    const [, root, keyText, rest] = m;
    const key = keyText !== undefined ? parseKey(keyText) : null;
    const body = (req.body ?? {}) as Row;
    const merge = /true/i.test(req.headers['mscrm.mergelabels'] ?? '');
    switch (root) {
      case 'EntityDefinitions':
        return this.entityDefinitions(req, key, rest, body, merge);
      case 'GlobalOptionSetDefinitions':
        if (req.method === 'GET' && key)
          return json(
            200,
            project(this.store.optionSet(key), req.query),
            `GlobalOptionSetDefinitions/$entity`,
            this.base(),
          );
        if (req.method === 'POST' && !key)
          return created(this.base(), 'GlobalOptionSetDefinitions', this.store.createOptionSet(body, true));
        break;
      case 'RelationshipDefinitions':
        if (req.method === 'GET' && key)
          return json(
            200,
            project(this.relationship(key), req.query),
            'RelationshipDefinitions/$entity',
            this.base(),
          );
        if (req.method === 'POST' && !key)
          return created(this.base(), 'RelationshipDefinitions', this.createRelationship(body));
        break;
      case 'InsertOptionValue':
      case 'UpdateOptionValue':
        if (req.method === 'POST') return this.optionValue(root, body, merge);
        break;
      case 'PublishXml':
        if (req.method === 'POST') {
          if (typeof body.ParameterXml !== 'string') throw ERR.badRequest('PublishXml needs ParameterXml.');
          this.store.published.push(body.ParameterXml);
          return { status: 204, headers: {} };
        }
    }
    throw new ODataError(405, '0x80060888', `${req.method} is not supported on ${root}.`);
  }

  private entityDefinitions(
    req: ApiRequest,
    key: ReturnType<typeof parseKey> | null,
    rest: string | undefined,
    body: Row,
    merge: boolean,
  ): ApiResponse {
    const base = this.base();
    if (!key) {
      if (req.method === 'POST')
        return created(base, 'EntityDefinitions', this.store.createEntity(body).meta);
      if (req.method === 'GET')
        return json(
          200,
          { value: [...this.store.entities.values()].map((e) => project(e.meta, req.query)) },
          'EntityDefinitions',
          base,
        );
      throw new ODataError(405, '0x80060888', `${req.method} is not supported on EntityDefinitions.`);
    }
    const entry = this.store.entity(key);
    if (rest === undefined) {
      if (req.method === 'GET')
        return json(200, project(entry.meta, req.query), 'EntityDefinitions/$entity', base);
      if (req.method === 'PUT')
        return (this.store.updateEntity(entry, body, merge), { status: 204, headers: {} });
      throw new ODataError(405, '0x80060888', `${req.method} is not supported on an entity definition.`);
    }
    const sub = /^(Attributes|Keys)(?:\(([^)]*)\))?(?:\/(.+))?$/.exec(rest);
    if (!sub) throw new ODataError(404, '0x80060888', `Resource not found for the segment '${rest}'.`);
    const [, nav, subKey, cast] = sub;
    if (nav === 'Keys') return this.keys(req, entry, subKey, body);
    const castType = cast ? typeName(cast) : null;
    if (subKey === undefined) {
      if (req.method === 'POST')
        return created(
          base,
          `EntityDefinitions(${String(entry.meta.MetadataId)})/Attributes`,
          this.store.createAttribute(entry, body),
        );
      if (req.method !== 'GET')
        throw new ODataError(405, '0x80060888', `${req.method} is not supported on Attributes.`);
      const list = entry.attributes.filter((a) => !castType || typeName(a['@odata.type']) === castType);
      return json(
        200,
        { value: list.map((a) => this.attributeOut(a, req.query, !!castType)) },
        `EntityDefinitions(${String(entry.meta.MetadataId)})/Attributes`,
        base,
      );
    }
    const attr = this.store.attribute(entry, parseKey(subKey));
    if (castType && typeName(attr['@odata.type']) !== castType)
      throw new ODataError(404, '0x80060888', `The attribute is not a ${castType}.`);
    if (req.method === 'GET')
      return json(
        200,
        this.attributeOut(attr, req.query, !!castType),
        'EntityDefinitions/Attributes/$entity',
        base,
      );
    if (req.method === 'PUT')
      return (this.store.updateAttribute(attr, body, merge), { status: 204, headers: {} });
    throw new ODataError(405, '0x80060888', `${req.method} is not supported on an attribute.`);
  }

  /** `$expand=OptionSet,GlobalOptionSet` needs the cast, as in Dataverse (the base type has no such navigation). */
  private attributeOut(attr: Row, q: Record<string, string>, cast: boolean): Row {
    const out = project(attr, q);
    out['@odata.type'] = attr['@odata.type'];
    for (const item of parseExpand(q.$expand)) {
      if (!cast || (item.nav !== 'OptionSet' && item.nav !== 'GlobalOptionSet'))
        throw ERR.syntax(
          `Could not find a property named '${item.nav}' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'.`,
        );
      const set = this.store.optionSets.get(this.store.attributeOptionSet.get(String(attr.MetadataId)) ?? '');
      const wanted = item.nav === 'GlobalOptionSet' ? set?.IsGlobal === true : set !== undefined;
      out[item.nav] = wanted && set ? projectExpand(set, item) : null;
    }
    return out;
  }

  private keys(req: ApiRequest, entry: EntityEntry, subKey: string | undefined, body: Row): ApiResponse {
    if (subKey !== undefined) {
      const k = parseKey(subKey);
      const found = entry.keys.find((x) =>
        k.kind === 'id'
          ? x.MetadataId === k.id
          : x.LogicalName === String(k.values.LogicalName ?? '').toLowerCase(),
      );
      if (!found) throw new ODataError(404, '0x80040217', `Could not find key ${subKey}.`);
      if (req.method === 'GET')
        return json(200, project(found, req.query), 'EntityDefinitions/Keys/$entity', this.base());
      if (req.method === 'DELETE')
        return ((entry.keys = entry.keys.filter((x) => x !== found)), { status: 204, headers: {} });
    } else if (req.method === 'GET') {
      return json(
        200,
        { value: entry.keys.map((k) => project(k, req.query)) },
        'EntityDefinitions/Keys',
        this.base(),
      );
    } else if (req.method === 'POST') {
      if (typeName(body['@odata.type'] ?? `${NS}EntityKeyMetadata`) !== 'EntityKeyMetadata')
        throw ERR.badRequest('@odata.type must be Microsoft.Dynamics.CRM.EntityKeyMetadata.');
      const cols = Array.isArray(body.KeyAttributes) ? body.KeyAttributes.map(String) : [];
      if (cols.length === 0 || typeof body.SchemaName !== 'string')
        throw ERR.badRequest('A key needs a SchemaName and KeyAttributes.');
      for (const c of cols) {
        const attr = entry.attributes.find((a) => a.LogicalName === c);
        if (!attr)
          throw ERR.badRequest(`Attribute ${c} does not exist on ${String(entry.meta.LogicalName)}.`);
        if (
          !['String', 'Integer', 'Lookup', 'DateTime', 'Decimal', 'Picklist'].includes(
            String(attr.AttributeType),
          )
        )
          throw ERR.badRequest(
            `Attribute ${c} of type ${String(attr.AttributeType)} cannot be part of a key.`,
          );
      }
      const logical = body.SchemaName.toLowerCase();
      if (entry.keys.some((k) => k.LogicalName === logical))
        throw new ODataError(400, '0x80060893', `A key with the name ${logical} already exists.`);
      // Dataverse builds the index in a system job (Pending → Active); the sandbox has no jobs to wait for.
      const key: Row = {
        MetadataId: newId(),
        SchemaName: body.SchemaName,
        LogicalName: logical,
        EntityLogicalName: entry.meta.LogicalName,
        KeyAttributes: cols,
        DisplayName: body.DisplayName ? toLabel(body.DisplayName) : toLabel({ LocalizedLabels: [] }),
        EntityKeyIndexStatus: 'Active',
      };
      entry.keys.push(key);
      return created(this.base(), `EntityDefinitions(${String(entry.meta.MetadataId)})/Keys`, key);
    }
    throw new ODataError(405, '0x80060888', `${req.method} is not supported on Keys.`);
  }

  private relationship(key: ReturnType<typeof parseKey>): Row {
    const found = [...this.store.relationships.values()].find((r) =>
      key.kind === 'id' ? r.MetadataId === key.id : r.SchemaName === key.values.SchemaName,
    );
    if (!found)
      throw new ODataError(
        404,
        '0x80040217',
        `Could not find relationship ${key.kind === 'id' ? key.id : String(key.values.SchemaName)}.`,
      );
    return found;
  }

  private createRelationship(body: Row): Row {
    if (typeName(body['@odata.type']) !== 'OneToManyRelationshipMetadata')
      throw ERR.badRequest('The sandbox supports OneToManyRelationshipMetadata only.');
    if (
      typeof body.SchemaName !== 'string' ||
      [...this.store.relationships.values()].some((r) => r.SchemaName === body.SchemaName)
    ) {
      throw new ODataError(
        400,
        '0x80047014',
        `A relationship with the name ${String(body.SchemaName)} already exists or the name is missing.`,
      );
    }
    const referenced = this.store.entity({ kind: 'alt', values: { LogicalName: body.ReferencedEntity } });
    const referencing = this.store.entity({ kind: 'alt', values: { LogicalName: body.ReferencingEntity } });
    const lookup = (body.Lookup ?? {}) as Row;
    const attr = this.store.addAttribute(
      referencing,
      { ...lookup, '@odata.type': `${NS}LookupAttributeMetadata`, Targets: [referenced.meta.LogicalName] },
      {},
    );
    const rel: Row = {
      '@odata.type': `#${NS}OneToManyRelationshipMetadata`,
      MetadataId: newId(),
      SchemaName: body.SchemaName,
      RelationshipType: 'OneToManyRelationship',
      IsCustomRelationship: true,
      ReferencedEntity: referenced.meta.LogicalName,
      ReferencedAttribute: referenced.meta.PrimaryIdAttribute,
      ReferencingEntity: referencing.meta.LogicalName,
      ReferencingAttribute: attr.LogicalName,
      ReferencingEntityNavigationPropertyName:
        body.ReferencingEntityNavigationPropertyName ?? lookup.SchemaName,
      ReferencedEntityNavigationPropertyName: body.ReferencedEntityNavigationPropertyName ?? body.SchemaName,
      CascadeConfiguration: body.CascadeConfiguration ?? {},
    };
    this.store.relationships.set(String(rel.MetadataId), rel);
    return rel;
  }

  private optionValue(
    action: 'InsertOptionValue' | 'UpdateOptionValue',
    body: Row,
    merge: boolean,
  ): ApiResponse {
    const set = this.targetOptionSet(body);
    const options = set.Options as Row[];
    if (typeof body.Value !== 'number') throw ERR.badRequest(`${action} needs a Value.`);
    const existing = options.find((o) => o.Value === body.Value);
    if (action === 'InsertOptionValue') {
      if (existing)
        throw new ODataError(400, '0x80047010', `An option with the value ${body.Value} already exists.`);
      options.push(optionRow(body.Value, toLabel(body.Label)));
      return json(
        200,
        { NewOptionValue: body.Value },
        'Microsoft.Dynamics.CRM.InsertOptionValueResponse',
        this.base(),
      );
    }
    if (!existing)
      throw new ODataError(404, '0x80040217', `There is no option with the value ${body.Value}.`);
    existing.Label = toLabel(body.Label, existing.Label as Label, merge || body.MergeLabels === true);
    return { status: 204, headers: {} };
  }

  private targetOptionSet(body: Row): Row {
    if (typeof body.OptionSetName === 'string')
      return this.store.optionSet({ kind: 'alt', values: { Name: body.OptionSetName } });
    const entry = this.store.entity({ kind: 'alt', values: { LogicalName: body.EntityLogicalName } });
    const attr = this.store.attribute(entry, {
      kind: 'alt',
      values: { LogicalName: body.AttributeLogicalName },
    });
    const set = this.store.optionSets.get(this.store.attributeOptionSet.get(String(attr.MetadataId)) ?? '');
    if (!set) throw ERR.badRequest(`Attribute ${String(attr.LogicalName)} has no option set.`);
    if (set.IsGlobal)
      throw ERR.badRequest(
        `Attribute ${String(attr.LogicalName)} uses global option set ${String(set.Name)}: pass OptionSetName.`,
      );
    return set;
  }

  private hasAttribute(entity: string, attribute: string): boolean {
    const entry = this.store.entities.get(entity);
    return !!entry && entry.attributes.some((a) => a.LogicalName === attribute);
  }
}

function project(row: Row, q: Record<string, string>): Row {
  const select = parseSelect(q.$select);
  const copy = structuredClone(row);
  if (select === null) return copy;
  const out: Row = { MetadataId: copy.MetadataId };
  for (const col of select) out[col] = copy[col] ?? null;
  return out;
}

function projectExpand(row: Row, item: ExpandItem): Row {
  return item.select ? project(row, { $select: item.select.join(',') }) : structuredClone(row);
}

function json(status: number, body: Row, context: string, base: string): ApiResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
    body: { '@odata.context': `${base}$metadata#${context}`, ...body },
  };
}

function created(base: string, collection: string, row: Row): ApiResponse {
  return { status: 204, headers: { 'OData-EntityId': `${base}${collection}(${String(row.MetadataId)})` } };
}
