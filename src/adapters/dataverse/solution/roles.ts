/**
 * Security roles: "AutoInvoice sales user" (read invoices and what they point at, use the commands),
 * "AutoInvoice administrator" (configure administrations, relations, layouts) and "AutoInvoice
 * connector", the least the connector's application user needs. Privilege names follow Dataverse's
 * `prv<Access><table schema name>` convention (security-roles-privileges.md); depth Global
 * (organization) because invoices are not owned by the people who act on them.
 */
import { componentId, type Labels } from './labels';

export type Access = 'Create' | 'Read' | 'Write' | 'Delete' | 'Append' | 'AppendTo';
export type Depth = 'Basic' | 'Local' | 'Deep' | 'Global';

export interface RoleSpec {
  key: 'salesuser' | 'administrator' | 'connector';
  name: Labels;
  description: Labels;
  /** table logical name → access rights (all at `depth`). */
  privileges: Readonly<Record<string, readonly Access[]>>;
  depth: Depth;
}

const ALL: readonly Access[] = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo'];

export const ROLE_SPECS: readonly RoleSpec[] = [
  {
    key: 'salesuser',
    name: { en: 'AutoInvoice sales user', nl: 'AutoInvoice-verkoopgebruiker' },
    description: {
      en: 'Sees invoices and their dispatch, and uses Resend, Send now, Hold and Release.',
      nl: 'Ziet facturen en hun verzending, en gebruikt Opnieuw verzenden, Nu verzenden, Vasthouden en Vrijgeven.',
    },
    // Write on invoices: the commands write eol_resend, eol_sendnow and eol_autodispatch.
    privileges: {
      eol_salesinvoice: ['Read', 'Write'],
      eol_relation: ['Read'],
      eol_administration: ['Read'],
      eol_layout: ['Read'],
    },
    depth: 'Global',
  },
  {
    key: 'administrator',
    name: { en: 'AutoInvoice administrator', nl: 'AutoInvoice-beheerder' },
    description: {
      en: 'Configures administrations, relations and layouts, and everything a sales user does.',
      nl: 'Stelt administraties, relaties en lay-outs in, en alles wat een verkoopgebruiker doet.',
    },
    privileges: {
      eol_salesinvoice: ['Read', 'Write', 'Append', 'AppendTo'],
      eol_relation: ALL,
      eol_administration: ALL,
      eol_layout: ALL,
    },
    depth: 'Global',
  },
  {
    key: 'connector',
    name: { en: 'AutoInvoice connector', nl: 'AutoInvoice-connector' },
    description: {
      en: "For the connector's application user only: what it reads and writes, nothing more.",
      nl: 'Alleen voor de toepassingsgebruiker van de connector: wat die leest en schrijft, meer niet.',
    },
    // Create invoices (the sweep makes rows of recurring and manual invoices), administrations, relations
    // and layouts (the Exact master-data mirror, issue 14), email (PRODUCT.md §12) and in-app notifications.
    // test/local/demoViews.test.ts derives what the demo's calls need and holds this list to it.
    privileges: {
      eol_salesinvoice: ['Create', 'Read', 'Write', 'Append', 'AppendTo'],
      eol_relation: ['Create', 'Read', 'Write', 'Append', 'AppendTo'],
      // The mirror creates administrations (switched off) for granted divisions and keeps their default
      // layouts, cursor and state (PRODUCT.md §11); layouts point at their administration.
      eol_administration: ['Create', 'Read', 'Write', 'Append', 'AppendTo'],
      eol_layout: ['Create', 'Read', 'Write', 'Append', 'AppendTo'],
      account: ['Read', 'AppendTo'],
      // The Dynamics email route (PRODUCT.md §12): the flagged contacts, the template, the mailbox's queue.
      contact: ['Read'],
      template: ['Read'],
      queue: ['Read'],
      // Email and its attachment (the PDF, appended to the email) are activities: prv<Access>Activity.
      email: ['Create', 'Read', 'Write', 'Append', 'AppendTo'],
      appnotification: ['Create', 'Read'],
      systemuser: ['Read'],
      organization: ['Read'],
      // Who holds "AutoInvoice administrator" (the in-app notices, docs/decisions/0088).
      role: ['Read'],
    },
    depth: 'Global',
  },
];

export interface RoleDef {
  id: string;
  key: RoleSpec['key'];
  name: Labels;
  description: Labels;
  depth: Depth;
  /** Privilege names (e.g. prvReadeol_salesinvoice). */
  privileges: string[];
}

/**
 * The name a table has in privilege names: its schema name, and for activity tables (email) the one set
 * all activities share, `Activity` (Dynamics CRM SDK "Email entity privileges": "The Email entity uses
 * the same privileges as all activity entities"; decision 0141).
 */
const SCHEMA_NAMES: Record<string, string> = {
  account: 'Account',
  contact: 'Contact',
  template: 'Template',
  queue: 'Queue',
  email: 'Activity',
  systemuser: 'User',
  organization: 'Organization',
  role: 'Role',
};

export function privilegeName(access: Access, table: string): string {
  return `prv${access}${SCHEMA_NAMES[table] ?? table}`;
}

/** Roles over the tables that exist; privileges of tables the vocabulary lacks (eol_layout) are left out. */
export function buildRoles(tables: ReadonlySet<string>): RoleDef[] {
  return ROLE_SPECS.map((spec) => ({
    id: componentId('role', spec.key),
    key: spec.key,
    name: spec.name,
    description: spec.description,
    depth: spec.depth,
    privileges: Object.entries(spec.privileges)
      .filter(([t]) => !t.startsWith('eol_') || tables.has(t))
      .flatMap(([t, rights]) => rights.map((a) => privilegeName(a, t))),
  }));
}
