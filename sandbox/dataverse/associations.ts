/**
 * Many-to-many relationships of the customization tables, read and written as the Web API does
 * (webapi/associate-disassociate-entities-using-web-api.md): `GET <set>(<id>)/<nav>` lists the related
 * rows, `POST <set>(<id>)/<nav>/$ref` with `{"@odata.id": "…/<target>(<id>)"}` relates one.
 * roles ↔ systemusers (systemuserroles_association) and appmodules ↔ roles (appmoduleroles_association).
 */
import { ERR, ODataError, type Row } from './model';
import type { ApiRequest, ApiResponse } from './webapi';

const NAVS: Record<string, { set: string; nav: string; target: string; key: string }> = {
  'roles/systemuserroles_association': {
    set: 'roles',
    nav: 'systemuserroles_association',
    target: 'systemusers',
    key: 'systemuserid',
  },
  'appmodules/appmoduleroles_association': {
    set: 'appmodules',
    nav: 'appmoduleroles_association',
    target: 'roles',
    key: 'roleid',
  },
};

export class Associations {
  private links = new Map<string, Set<string>>();

  reset(): void {
    this.links = new Map();
  }

  /** Null when `rest` names no association of `set`. */
  handle(set: string, id: string, rest: string, req: ApiRequest, base: string): ApiResponse | null {
    const nav = NAVS[`${set}/${rest.replace(/\/\$ref$/, '')}`];
    if (!nav) return null;
    const key = `${set}(${id})/${nav.nav}`;
    const related = this.links.get(key) ?? new Set<string>();
    if (req.method === 'GET' && rest === nav.nav)
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
        body: {
          '@odata.context': `${base}$metadata#${nav.target}`,
          value: [...related].map((v) => ({ [nav.key]: v })),
        },
      };
    if (req.method === 'POST' && rest === `${nav.nav}/$ref`) {
      const ref = new RegExp(`${nav.target}\\(([0-9a-f-]{36})\\)$`, 'i').exec(
        String((req.body as Row | undefined)?.['@odata.id'] ?? ''),
      );
      if (!ref) throw ERR.badRequest(`@odata.id must name a ${nav.target} row.`);
      related.add(ref[1]!.toLowerCase());
      this.links.set(key, related);
      return { status: 204, headers: {} };
    }
    throw new ODataError(405, '0x80060888', `${req.method} is not allowed on ${rest}.`);
  }
}
