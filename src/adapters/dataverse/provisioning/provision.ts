import {
  attributeBody,
  englishLabel,
  entityBody,
  entityUpdateBody,
  globalOptionSetBody,
  keyBody,
  relationshipBody,
} from './bodies';
import { compareColumn, optionChanges, strip } from './compare';
import { planExtensions } from './extensions';
import type { MetadataApi, PicklistRead } from './metadataApi';
import type { Change, Conflict, Plan } from './plan';
import {
  EXTENSIONS,
  GLOBAL_OPTION_SETS,
  TABLES,
  type ColumnSpec,
  type ExtensionSpec,
  type TableSpec,
} from './schema';

/**
 * Plans the schema of PRODUCT.md §2 against what the environment has. Creates what is missing and
 * updates what differs in a way that is safe to change (labels, defaults, a text column that must grow);
 * what cannot be changed in place (a column of another type, a key over other columns) is a conflict.
 * Order matters and is kept: choices, tables, columns, relationships (lookups), alternate keys.
 */
export async function planSchema(
  api: MetadataApi,
  tables: readonly TableSpec[] = TABLES,
  extensions: readonly ExtensionSpec[] = EXTENSIONS,
): Promise<Plan> {
  const changes: Change[] = [];
  const conflicts: Conflict[] = [];
  const globalIds = new Map<string, string>();
  const globalId = (name: string): string => {
    const id = globalIds.get(name);
    if (!id) throw new Error(`choice ${name} has no MetadataId (it should have been created first)`);
    return id;
  };

  for (const spec of GLOBAL_OPTION_SETS) {
    const existing = await api.globalOptionSet(spec.name);
    if (!existing) {
      changes.push({
        action: 'create',
        what: `choice ${spec.name}`,
        detail: spec.options.map((o) => `${o.value} ${o.label}`).join(', '),
        publishes: { optionSet: spec.name },
        apply: async () => {
          const id =
            (await api.createGlobalOptionSet(globalOptionSetBody(spec))) ??
            (await api.globalOptionSet(spec.name))?.MetadataId;
          if (id) globalIds.set(spec.name, id);
        },
      });
      continue;
    }
    globalIds.set(spec.name, existing.MetadataId);
    changes.push(
      ...optionChanges(api, `choice ${spec.name}`, { optionSet: spec.name }, spec.options, existing.Options, {
        optionSet: spec.name,
      }),
    );
  }

  for (const table of tables) {
    const entity = await api.entity(table.name);
    if (!entity) {
      changes.push({
        action: 'create',
        what: `table ${table.name}`,
        detail: `${table.label}, primary column ${table.primaryName.name}`,
        publishes: { entity: table.name },
        apply: async () => void (await api.createEntity(entityBody(table))),
      });
      for (const col of table.columns.filter((c) => c.kind !== 'lookup'))
        changes.push(createColumn(api, table, col, globalId));
      continue;
    }
    if (entity.EntitySetName && entity.EntitySetName !== table.entitySet) {
      conflicts.push({
        what: `table ${table.name}`,
        why: `its entity set is ${entity.EntitySetName}, the connector uses ${table.entitySet}`,
      });
    }
    const tableDiffs: string[] = [];
    if (englishLabel(entity.DisplayName) !== table.label) tableDiffs.push(`label → '${table.label}'`);
    if (englishLabel(entity.DisplayCollectionName) !== table.pluralLabel)
      tableDiffs.push(`plural label → '${table.pluralLabel}'`);
    if (table.hasActivities && entity.HasActivities === false) tableDiffs.push('enable activities');
    if (tableDiffs.length > 0) {
      const current = strip(entity);
      changes.push({
        action: 'update',
        what: `table ${table.name}`,
        detail: tableDiffs.join(', '),
        publishes: { entity: table.name },
        apply: () =>
          api.updateEntity({
            ...current,
            ...entityUpdateBody(table, entity.MetadataId),
            HasActivities: table.hasActivities || entity.HasActivities === true,
          }),
      });
    }

    const attributes = new Map((await api.attributes(table.name)).map((a) => [a.LogicalName, a]));
    const hasChoices = table.columns.some((c) => c.kind === 'choice' || c.kind === 'choices');
    const choices = new Map<string, PicklistRead>();
    if (hasChoices) {
      for (const type of ['PicklistAttributeMetadata', 'MultiSelectPicklistAttributeMetadata'] as const) {
        for (const p of await api.choiceColumns(table.name, type)) choices.set(p.LogicalName, p);
      }
    }
    const primary: ColumnSpec = {
      kind: 'text',
      name: table.primaryName.name,
      label: table.primaryName.label,
      maxLength: table.primaryName.maxLength,
    };
    for (const col of [primary, ...table.columns]) {
      const actual = attributes.get(col.name);
      if (!actual) {
        if (col.kind !== 'lookup') changes.push(createColumn(api, table, col, globalId));
        continue;
      }
      compareColumn(api, table, col, actual, choices.get(col.name), changes, conflicts);
    }
  }

  await planExtensions(api, changes, conflicts, extensions);

  for (const table of tables) {
    for (const col of table.columns) {
      if (col.kind !== 'lookup') continue;
      const rel = await api.relationship(col.relationship);
      if (!rel) {
        changes.push({
          action: 'create',
          what: `lookup ${table.name}.${col.name}`,
          detail: `to ${col.target}, relationship ${col.relationship}${col.required ? ', required' : ''}`,
          publishes: { entity: table.name },
          apply: () => api.createRelationship(relationshipBody(table, col)),
        });
      } else if (
        rel.ReferencedEntity !== col.target ||
        rel.ReferencingEntity !== table.name ||
        rel.ReferencingAttribute !== col.name
      ) {
        conflicts.push({
          what: `relationship ${col.relationship}`,
          why: `it links ${rel.ReferencingEntity}.${rel.ReferencingAttribute} to ${rel.ReferencedEntity}`,
        });
      }
    }
  }

  for (const table of tables) {
    const keys = (await api.entity(table.name)) ? await api.keys(table.name) : [];
    for (const key of table.keys) {
      const sameColumns = keys.find((k) => sameSet(k.KeyAttributes, key.columns));
      if (sameColumns) continue;
      const sameName = keys.find((k) => k.SchemaName.toLowerCase() === key.name);
      if (sameName) {
        conflicts.push({
          what: `key ${table.name}.${key.name}`,
          why: `it covers ${sameName.KeyAttributes.join(', ')}; the connector needs ${key.columns.join(', ')} (keys cannot be changed: delete it first)`,
        });
        continue;
      }
      changes.push({
        action: 'create',
        what: `key ${table.name}.${key.name}`,
        detail: key.columns.join(', '),
        apply: () => api.createKey(table.name, keyBody(key)),
      });
    }
  }
  return { changes, conflicts };
}

function createColumn(
  api: MetadataApi,
  table: TableSpec,
  col: ColumnSpec,
  globalId: (n: string) => string,
): Change {
  return {
    action: 'create',
    what: `column ${table.name}.${col.name}`,
    detail: describeKind(col),
    publishes: { entity: table.name },
    apply: () => api.createAttribute(table.name, attributeBody(col, globalId)),
  };
}

function describeKind(col: ColumnSpec): string {
  switch (col.kind) {
    case 'choice':
      return col.globalOptionSet
        ? `choice of ${col.globalOptionSet}`
        : `choice ${(col.options ?? []).map((o) => o.value).join('/')}`;
    case 'choices':
      return `multi-select choice of ${col.globalOptionSet}`;
    case 'datetime':
      return col.dateOnly ? 'date only' : 'date and time';
    case 'boolean':
      return `yes/no, default ${col.default ? 'yes' : 'no'}`;
    default:
      return col.kind;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x.toLowerCase()));
}
