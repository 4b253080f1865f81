/**
 * The Dataverse side of the master-data mirror (PRODUCT.md §11): the mirrored administrations, layouts and
 * relations as the sync compares them, and the rows it writes. Reads are in bulk (one query per table per
 * administration); `save` writes only the fields it is given (the sync compares before it writes).
 * Field names are the connector's; the adapter (src/adapters/dataverse/masterData*.ts) maps them to columns.
 */

/** Whether a mirrored row still exists in Exact; null: not mirrored yet (typed by hand, or never synced). */
export type ExactState = 'active' | 'gone';

export interface AdministrationFields {
  division: number;
  name: string;
  /** Set only when the sync creates the row (new administrations start switched off). */
  printInvoices: boolean;
  state: ExactState | null;
  /** The `sync/CRM/Accounts` Timestamp the next relation sync continues from (decimal string). */
  accountCursor: string | null;
  /** `eol_layout` row ids of the default layouts (lookups). */
  defaultLayoutId: string | null;
  defaultEmailLayoutId: string | null;
  /** The retired GUID text columns, read for the migration and cleared once migrated (decision 0075). */
  legacyDefaultLayout: string | null;
  legacyDefaultEmailLayout: string | null;
}

export interface LayoutFields {
  administrationId: string;
  /** Exact's layout GUID, lower case. */
  exactId: string;
  name: string;
  type: 'document' | 'email';
  language: string | null;
  state: ExactState | null;
  inactive: boolean;
}

/** The three fields written back to Exact (PRODUCT.md §11), as Dynamics holds them. */
export interface WrittenBackFields {
  /** `eol_invoicemethod` (0 automatic, 1 paper, 2 email, 4 postbox, 32 Peppol). */
  invoiceMethod: number | null;
  invoiceEmail: string | null;
  peppolId: string | null;
}

export interface RelationFields extends WrittenBackFields {
  administrationId: string;
  /** Exact's account GUID, lower case. */
  exactAccountId: string;
  name: string;
  state: ExactState | null;
  /** The Dynamics `account` the relation is linked to. */
  accountId: string | null;
  /** The `eol_relation` row of the Exact account invoiced instead (`InvoiceAccount`). */
  invoiceAccountId: string | null;
  kvk: string | null;
  vatNumber: string | null;
  oin: string | null;
  language: string | null;
  /** The written-back fields as last seen in Exact: the base of the write-back (decision 0076). */
  exactInvoiceMethod: number | null;
  exactInvoiceEmail: string | null;
  exactPeppolId: string | null;
  /** Why a Dynamics edit was not written to Exact (both values); null when there is none. */
  conflict: string | null;
  layoutId: string | null;
  emailLayoutId: string | null;
  legacyLayout: string | null;
  legacyEmailLayout: string | null;
}

export type MirroredAdministration = { id: string } & AdministrationFields;
export type MirroredLayout = { id: string } & LayoutFields;
export type MirroredRelation = { id: string } & RelationFields;

/** A Dynamics `account` a relation can be linked to (PRODUCT.md §11; decision 0077 for KvK and VAT). */
export interface DynamicsAccount {
  id: string;
  name: string;
  kvk: string | null;
  vatNumber: string | null;
}

/** One row to write: created with its id (chosen by the sync) or updated field by field. */
export type MirrorWrite =
  | { table: 'administration'; id: string; create: boolean; fields: Partial<AdministrationFields> }
  | { table: 'layout'; id: string; create: boolean; fields: Partial<LayoutFields> }
  | { table: 'relation'; id: string; create: boolean; fields: Partial<RelationFields> };

/** Errors are IntegrationError subclasses (src/app/errors.ts). */
export interface MasterDataRecords {
  /** Every administration row (gone ones too: a division that comes back is the same row). */
  administrations(): Promise<MirroredAdministration[]>;
  layouts(administrationId: string): Promise<MirroredLayout[]>;
  relations(administrationId: string): Promise<MirroredRelation[]>;
  /** One relation (a Dynamics edit to write back outside a sync); null when it does not exist. */
  relation(relationId: string): Promise<MirroredRelation | null>;
  /** Active Dynamics accounts, for linking. */
  accounts(): Promise<DynamicsAccount[]>;
  /** Writes in order (creates before the updates that bind to them); many rows go in one `$batch`. */
  save(writes: readonly MirrorWrite[]): Promise<void>;
}
