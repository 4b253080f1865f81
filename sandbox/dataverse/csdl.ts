import { LOOKUP_TYPES, tableView, type TableView } from './columns';
import type { MetadataStore } from './metadataStore';
import { edmType } from './validate';

/**
 * `GET [org]/api/data/v9.2/$metadata`: the CSDL document (PAD webapi/web-api-service-documents,
 * "CSDL $metadata document") built from the held metadata: one EntityType per table with its key,
 * columns (lookups as `_x_value` Edm.Guid) and single-valued navigation properties, and an
 * EntityContainer with one EntitySet per table. Actions, functions and complex types are left out.
 */
export function csdl(store: MetadataStore): string {
  const views = [...store.entities.values()]
    .map((e) => tableView(store, String(e.meta.EntitySetName)))
    .filter((v): v is TableView => v !== undefined);
  const keyOf = (logical: string): string =>
    String(store.entities.get(logical)?.meta.PrimaryIdAttribute ?? `${logical}id`);
  const setOf = (logical: string): string | undefined =>
    store.entities.get(logical)?.meta.EntitySetName as string | undefined;
  const types = views.map((v) => {
    const props: string[] = [];
    const navs: string[] = [];
    for (const c of v.columns.values()) {
      if (!LOOKUP_TYPES.has(c.type)) {
        props.push(
          `<Property Name="${c.name}" Type="${edmType(c)}"${edmType(c) === 'Edm.String' ? ' Unicode="false"' : ''} />`,
        );
        continue;
      }
      props.push(`<Property Name="_${c.name}_value" Type="Edm.Guid" />`);
      const targets = (c.targets ?? []).filter((t) => store.entities.has(t));
      for (const t of targets)
        navs.push(
          `<NavigationProperty Name="${targets.length > 1 ? `${c.name}_${t}` : c.name}" Type="mscrm.${t}" />`,
        );
    }
    return `<EntityType Name="${v.logical}" BaseType="mscrm.crmbaseentity"><Key><PropertyRef Name="${keyOf(v.logical)}" /></Key>${props.join('')}${navs.join('')}</EntityType>`;
  });
  const sets = views.map((v) => {
    const bindings = [...v.columns.values()]
      .filter((c) => LOOKUP_TYPES.has(c.type))
      .flatMap((c) => {
        const targets = (c.targets ?? []).filter((t) => setOf(t));
        return targets.map(
          (t) =>
            `<NavigationPropertyBinding Path="${targets.length > 1 ? `${c.name}_${t}` : c.name}" Target="${setOf(t)}" />`,
        );
      });
    return `<EntitySet Name="${v.set}" EntityType="Microsoft.Dynamics.CRM.${v.logical}">${bindings.join('')}</EntitySet>`;
  });
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
    '<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">' +
    '<EntityType Name="crmbaseentity" Abstract="true" />' +
    types.join('') +
    `<EntityContainer Name="System">${sets.join('')}</EntityContainer>` +
    '</Schema></edmx:DataServices></edmx:Edmx>'
  );
}
