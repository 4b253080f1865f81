import type { TenantDirectory } from '../../app/ports';
import type { AdministrationFacts, Language, RelationFacts } from '../../domain/types';
import type { DataverseClient } from './client';
import { DataverseValidationError } from './errors';
import { toAdministrationFacts, toRelationFacts } from './mapping';
import {
  ADMINISTRATION_COLUMNS,
  ADMINISTRATION_EXPAND,
  collectionOf,
  DataverseAdministrationSchema,
  DataverseOrganizationSchema,
  DataverseRelationSchema,
  RELATION_COLUMNS,
  RELATION_EXPAND,
} from './schemas';
import { ADMINISTRATION, RELATION, wireName } from './vocabulary';

/** Active rows only (statecode 0 = Active on every user-owned table). */
const ACTIVE = `${wireName(ADMINISTRATION, 'statecode')} eq 0`;

const DUTCH = 1043;
/** The organisation's base language changes rarely; re-read it hourly rather than per message. */
const LANGUAGE_TTL_MS = 60 * 60 * 1000;

export class DataverseTenantDirectory implements TenantDirectory {
  private language: { value: Promise<Language>; at: number } | null = null;

  constructor(
    private readonly client: DataverseClient,
    private readonly override?: Language,
    private readonly now: () => number = Date.now,
  ) {}

  /** Active administrations (statecode 0), enabled or not: the caller decides. */
  async administrations(): Promise<AdministrationFacts[]> {
    const data = await this.client.run(
      'list administrations',
      (api) =>
        api.retrieveAll({
          collection: ADMINISTRATION.entitySet,
          select: [ADMINISTRATION.primaryId, ...ADMINISTRATION_COLUMNS],
          expand: ADMINISTRATION_EXPAND,
          filter: ACTIVE,
        }),
      { idempotent: true },
    );
    return this.client
      .parse('list administrations', collectionOf(DataverseAdministrationSchema), data)
      .value.map(toAdministrationFacts);
  }

  async relations(administrationId: string): Promise<RelationFacts[]> {
    if (!/^[0-9a-f-]{36}$/i.test(administrationId))
      throw new DataverseValidationError('Dataverse administration id is not a GUID');
    const data = await this.client.run(
      'list relations',
      (api) =>
        api.retrieveAll({
          collection: RELATION.entitySet,
          select: [RELATION.primaryId, ...RELATION_COLUMNS],
          expand: RELATION_EXPAND,
          filter: `${wireName(RELATION, 'eol_administrationid')} eq ${administrationId.toLowerCase()} and ${ACTIVE}`,
        }),
      { idempotent: true },
    );
    return this.client
      .parse('list relations', collectionOf(DataverseRelationSchema), data)
      .value.map(toRelationFacts);
  }

  /** `organization.languagecode` 1043 → nl, anything else → en; a configured language wins. */
  organizationLanguage(): Promise<Language> {
    if (this.override) return Promise.resolve(this.override);
    if (this.language && this.now() - this.language.at < LANGUAGE_TTL_MS) return this.language.value;
    const value = this.client
      .run(
        'read organization language',
        (api) => api.retrieveMultiple({ collection: 'organizations', select: ['languagecode'], top: 1 }),
        { idempotent: true },
      )
      .then((data) => {
        const org = this.client.parse(
          'read organization language',
          collectionOf(DataverseOrganizationSchema),
          data,
        ).value[0];
        return org?.languagecode === DUTCH ? 'nl' : 'en';
      });
    // A failed read must not be cached.
    value.catch(() => {
      this.language = null;
    });
    this.language = { value, at: this.now() };
    return value;
  }
}
