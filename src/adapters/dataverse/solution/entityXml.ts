/**
 * The table and column definitions of customizations.xml: each `eol_` table with every column
 * `provision` creates (the same specs: provisioning/schema.ts), the columns added to system tables
 * (account, contact) as those tables' only attributes, the global option sets and the lookups'
 * relationships — with labels and help text in English (1033) and Dutch (1043).
 * Element names and column types (nvarchar, ntext, int, bit, picklist, multiselectpicklist, datetime,
 * lookup, primarykey) follow unpacked exported solutions (Entities/<table>/Entity.xml): Microsoft's
 * CustomizationsSolution.xsd is not at hand here [inf], so this is checked structurally (decision 0140).
 */
import {
  EXTENSIONS,
  GLOBAL_OPTION_SETS,
  TABLES,
  type ColumnSpec,
  type OptionSpec,
  type TableSpec,
} from '../provisioning/schema';
import { columnLabels, DUTCH_OPTIONS, DUTCH_TABLES, HELP } from './columnText';
import { esc, LANG, SOLUTION, type Labels } from './labels';

const both = (l: Labels, el: string, attr = 'description') =>
  `<${el} ${attr}="${esc(l.en)}" languagecode="${LANG.en}" /><${el} ${attr}="${esc(l.nl)}" languagecode="${LANG.nl}" />`;
const displaynames = (l: Labels) => `<displaynames>${both(l, 'displayname')}</displaynames>`;
const descriptions = (l: Labels) => `<Descriptions>${both(l, 'Description')}</Descriptions>`;
const same = (s: string): Labels => ({ en: s, nl: s });

/** The type an exported solution names each column kind with. */
export const XML_TYPE: Readonly<Record<ColumnSpec['kind'], string>> = {
  text: 'nvarchar',
  memo: 'ntext',
  integer: 'int',
  boolean: 'bit',
  choice: 'picklist',
  choices: 'multiselectpicklist',
  datetime: 'datetime',
  lookup: 'lookup',
};

function optionsXml(options: readonly OptionSpec[], dutch: Readonly<Record<number, string>> = {}): string {
  return `<options>${options
    .map(
      (o) =>
        `<option value="${o.value}" ExternalValue="" IsHidden="0"><labels>${both({ en: o.label, nl: dutch[o.value] ?? o.label }, 'label')}</labels></option>`,
    )
    .join('')}</options>`;
}

/** What depends on the column's kind: length, range, format, its option set or its target. */
function kindXml(table: string, col: ColumnSpec, label: Labels): string {
  const localSet = (type: string, body: string) =>
    `<optionset Name="${table}_${col.name}"><OptionSetType>${type}</OptionSetType><IsGlobal>0</IsGlobal><IntroducedVersion>${SOLUTION.version}</IntroducedVersion><IsCustomizable>1</IsCustomizable>${displaynames(label)}${body}</optionset>`;
  switch (col.kind) {
    case 'text':
      return `<Format>${col.format === 'Email' ? 'email' : 'text'}</Format><MaxLength>${col.maxLength}</MaxLength><Length>${col.maxLength * 2}</Length>`;
    case 'memo':
      return `<Format>textarea</Format><MaxLength>${col.maxLength}</MaxLength>`;
    case 'integer':
      return `<Format>none</Format><MinValue>${col.min}</MinValue><MaxValue>${col.max}</MaxValue>`;
    case 'boolean':
      return (
        `<AppDefaultValue>${col.default ? 1 : 0}</AppDefaultValue>` +
        localSet(
          'bit',
          optionsXml(
            [
              { value: 1, label: 'Yes' },
              { value: 0, label: 'No' },
            ],
            { 1: 'Ja', 0: 'Nee' },
          ),
        )
      );
    case 'choice':
      return (
        `<AppDefaultValue>${col.default ?? -1}</AppDefaultValue>` +
        (col.globalOptionSet
          ? `<OptionSetName>${col.globalOptionSet}</OptionSetName>`
          : localSet('picklist', optionsXml(col.options ?? [], DUTCH_OPTIONS[`${table}.${col.name}`])))
      );
    case 'choices':
      return `<OptionSetName>${col.globalOptionSet}</OptionSetName>`;
    case 'datetime':
      return `<Format>${col.dateOnly ? 'date' : 'datetime'}</Format><CanChangeDateTimeBehavior>1</CanChangeDateTimeBehavior><Behavior>${col.dateOnly ? 2 : 1}</Behavior>`;
    case 'lookup':
      return `<LookupStyle>single</LookupStyle><LookupTypes><LookupType>${col.target}</LookupType></LookupTypes>`;
  }
}

function attributeXml(table: string, col: ColumnSpec, primaryName = false): string {
  const label = columnLabels(col.name, col.label);
  const help = HELP[col.name];
  const required = col.kind === 'lookup' && col.required ? 'required' : 'none';
  return (
    `<attribute PhysicalName="${col.name}"><Type>${XML_TYPE[col.kind]}</Type><Name>${col.name}</Name><LogicalName>${col.name}</LogicalName>` +
    `<RequiredLevel>${required}</RequiredLevel><DisplayMask>${primaryName ? 'PrimaryName|' : ''}ValidForAdvancedFind|ValidForForm|ValidForGrid</DisplayMask>` +
    `<ImeMode>auto</ImeMode><ValidForUpdateApi>1</ValidForUpdateApi><ValidForReadApi>1</ValidForReadApi><ValidForCreateApi>1</ValidForCreateApi>` +
    `<IsCustomField>1</IsCustomField><IsAuditEnabled>1</IsAuditEnabled><IsSecured>0</IsSecured><IntroducedVersion>${SOLUTION.version}</IntroducedVersion>` +
    `<IsCustomizable>1</IsCustomizable><IsRenameable>1</IsRenameable>` +
    kindXml(table, col, label) +
    displaynames(label) +
    (help ? descriptions(help) : '') +
    `</attribute>`
  );
}

function primaryKeyXml(t: TableSpec): string {
  const id = `${t.name}id`;
  return `<attribute PhysicalName="${id}"><Type>primarykey</Type><Name>${id}</Name><LogicalName>${id}</LogicalName><RequiredLevel>systemrequired</RequiredLevel><DisplayMask>ValidForAdvancedFind|RequiredForGrid</DisplayMask><IsCustomField>0</IsCustomField><IntroducedVersion>${SOLUTION.version}</IntroducedVersion>${displaynames(same(t.label))}</attribute>`;
}

const keysXml = (t: TableSpec) =>
  t.keys.length === 0
    ? ''
    : `<EntityKeys>${t.keys
        .map(
          (k) =>
            `<EntityKey><Name>${k.name}</Name><LogicalName>${k.name}</LogicalName><KeyAttributes>${k.columns.map((c) => `<KeyAttribute>${c}</KeyAttribute>`).join('')}</KeyAttributes>${displaynames(same(k.label))}</EntityKey>`,
        )
        .join('')}</EntityKeys>`;

/** `<EntityInfo>` of an `eol_` table: names, every column, keys and what the table is. */
function tableInfoXml(t: TableSpec): string {
  const nl = DUTCH_TABLES[t.name];
  const primary: ColumnSpec = { kind: 'text', ...t.primaryName };
  const attributes = [
    primaryKeyXml(t),
    attributeXml(t.name, primary, true),
    ...t.columns.map((c) => attributeXml(t.name, c)),
  ];
  return (
    `<EntityInfo><entity Name="${t.name}">` +
    `<LocalizedNames>${both({ en: t.label, nl: nl?.label ?? t.label }, 'LocalizedName')}</LocalizedNames>` +
    `<LocalizedCollectionNames>${both({ en: t.pluralLabel, nl: nl?.plural ?? t.pluralLabel }, 'LocalizedCollectionName')}</LocalizedCollectionNames>` +
    descriptions({ en: t.description, nl: nl?.description ?? t.description }) +
    `<attributes>${attributes.join('')}</attributes>${keysXml(t)}` +
    `<EntitySetName>${t.entitySet}</EntitySetName><OwnershipTypeMask>UserOwned</OwnershipTypeMask><IsActivity>0</IsActivity>` +
    `<HasRelatedNotes>False</HasRelatedNotes><HasRelatedActivities>${t.hasActivities ? 'True' : 'False'}</HasRelatedActivities>` +
    `<IntroducedVersion>${SOLUTION.version}</IntroducedVersion><IsCustomizable>1</IsCustomizable></entity></EntityInfo>`
  );
}

/**
 * The `<Name>` and `<EntityInfo>` of a table: an `eol_` table in full, a system table (account,
 * contact) with only the columns AutoInvoice adds; '' for a table neither.
 */
export function entityInfoXml(table: string): string {
  const own = TABLES.find((t) => t.name === table);
  if (own)
    return `<Name LocalizedName="${esc(own.label)}" OriginalName="${esc(own.label)}">${table}</Name>${tableInfoXml(own)}`;
  const ext = EXTENSIONS.find((e) => e.name === table);
  if (!ext) return `<Name>${table}</Name><EntityInfo><entity Name="${table}" /></EntityInfo>`;
  return `<Name>${table}</Name><EntityInfo><entity Name="${table}"><attributes>${ext.columns.map((c) => attributeXml(table, c)).join('')}</attributes></entity></EntityInfo>`;
}

/** The system tables AutoInvoice adds columns to (their Entity element carries only those). */
export const EXTENDED_TABLE_NAMES: readonly string[] = EXTENSIONS.map((e) => e.name);

export function globalOptionSetsXml(): string {
  return `<optionsets>${GLOBAL_OPTION_SETS.map(
    (s) =>
      `<optionset Name="${s.name}" localizedName="${esc(s.label)}"><OptionSetType>picklist</OptionSetType><IsGlobal>1</IsGlobal><IntroducedVersion>${SOLUTION.version}</IntroducedVersion><IsCustomizable>1</IsCustomizable>${displaynames(same(s.label))}${optionsXml(s.options, DUTCH_OPTIONS[s.name])}</optionset>`,
  ).join('')}</optionsets>`;
}

/** One-to-many relationships of the lookups (referencing table → the lookup's target). */
export function relationshipsXml(): string {
  const rels = TABLES.flatMap((t) =>
    t.columns.flatMap((c) =>
      c.kind !== 'lookup'
        ? []
        : [
            `<EntityRelationship Name="${c.relationship}"><EntityRelationshipType>OneToMany</EntityRelationshipType><IsCustomizable>1</IsCustomizable><IntroducedVersion>${SOLUTION.version}</IntroducedVersion><IsHierarchical>0</IsHierarchical>` +
              `<ReferencingEntityName>${t.name}</ReferencingEntityName><ReferencedEntityName>${c.target}</ReferencedEntityName>` +
              `<CascadeAssign>NoCascade</CascadeAssign><CascadeDelete>${c.onDelete}</CascadeDelete><CascadeReparent>NoCascade</CascadeReparent><CascadeShare>NoCascade</CascadeShare><CascadeUnshare>NoCascade</CascadeUnshare>` +
              `<IsValidForAdvancedFind>1</IsValidForAdvancedFind><ReferencingAttributeName>${c.name}</ReferencingAttributeName>` +
              `<EntityRelationshipRoles><EntityRelationshipRole><NavPaneDisplayOption>UseCollectionName</NavPaneDisplayOption><NavPaneArea>Details</NavPaneArea><NavPaneOrder>10000</NavPaneOrder><NavigationPropertyName>${c.name}</NavigationPropertyName><RelationshipRoleType>1</RelationshipRoleType></EntityRelationshipRole>` +
              `<EntityRelationshipRole><NavigationPropertyName>${c.relationship}</NavigationPropertyName><RelationshipRoleType>0</RelationshipRoleType></EntityRelationshipRole></EntityRelationshipRoles></EntityRelationship>`,
          ],
    ),
  );
  return `<EntityRelationships>${rels.join('')}</EntityRelationships>`;
}

export const GLOBAL_OPTION_SET_NAMES: readonly string[] = GLOBAL_OPTION_SETS.map((s) => s.name);
