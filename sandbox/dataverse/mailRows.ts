import { entityBySet, ERR, ODataError, type Row } from './model';
import { parseRef, type Store } from './store';

/**
 * What Dataverse checks in an email's deep-inserted activity parties and in an attachment, before the
 * store writes them (PAD `reference/entities/activityparty.md`, `activitymimeattachment.md`).
 */

/** activityparty.partyid targets (the reference page) → their entity sets. */
const PARTY_TARGETS: Record<string, string> = {
  account: 'accounts',
  contact: 'contacts',
  queue: 'queues',
  systemuser: 'systemusers',
};
/** participationtypemask options 1 Sender … 12 Chat Participant; 1–4 are an email's From/To/Cc/Bcc. */
const MASKS = Array.from({ length: 12 }, (_, i) => i + 1);
const ADDRESS_MAX = 320;

export interface PartyView {
  mask: number;
  address: string | null;
  /** `queue`, `contact`, `account`, `systemuser`; null for an unresolved address. */
  partyType: string | null;
  partyId: string | null;
}

/** Refuses a party list Dataverse would refuse; the parties are then stored as sent. */
export function checkParties(store: Store, value: unknown): void {
  if (!Array.isArray(value))
    throw ERR.payload('emails', "An unexpected 'StartObject' node was found for 'email_activity_parties'.");
  for (const party of value) {
    if (!party || typeof party !== 'object' || Array.isArray(party))
      throw ERR.payload('emails', 'An activity party must be a JSON object.');
    const p = party as Row;
    const binds = Object.keys(p).filter((k) => k.endsWith('@odata.bind'));
    for (const k of Object.keys(p)) {
      if (k === 'participationtypemask' || k === 'addressused' || binds.includes(k)) continue;
      throw ERR.payload(
        'activityparties',
        `The property '${k}' does not exist on type 'Microsoft.Dynamics.CRM.activityparty'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      );
    }
    const mask = p.participationtypemask;
    if (typeof mask !== 'number' || !MASKS.includes(mask))
      throw ERR.outOfRange(mask, 'participationtypemask', 'activityparty', MASKS);
    if (p.addressused !== undefined && typeof p.addressused !== 'string')
      throw ERR.payload('activityparties', "Cannot convert the literal to the expected type 'Edm.String'.");
    if (typeof p.addressused === 'string' && p.addressused.length > ADDRESS_MAX)
      throw ERR.tooLong('addressused', 'activityparty', ADDRESS_MAX);
    if (binds.length > 1) throw ERR.badRequest('An activity party binds at most one partyid.');
    if (binds.length === 0 && !p.addressused)
      throw ERR.badRequest('An activity party needs a partyid or an addressused.'); // wording: choice
    if (binds[0]) resolveParty(store, binds[0], p[binds[0]], true);
  }
}

function resolveParty(
  store: Store,
  key: string,
  value: unknown,
  mustExist: boolean,
): { type: string; id: string } {
  const type = /^partyid_(\w+)@odata\.bind$/.exec(key)?.[1];
  const set = type ? PARTY_TARGETS[type] : undefined;
  if (!type || !set)
    throw ERR.payload(
      'activityparties',
      `An undeclared property '${key.replace('@odata.bind', '')}' which only has property annotations in the payload but no property value was found in the payload.`,
    );
  const ref = typeof value === 'string' ? parseRef(value) : null;
  if (!ref || ref.set !== set || ref.key.kind !== 'id')
    throw ERR.badRequest(`Invalid @odata.bind value '${String(value)}'.`);
  if (mustExist && !store.get(entityBySet(set)!, ref.key.id)) throw ERR.notFound(type, ref.key.id);
  return { type, id: ref.key.id.toLowerCase() };
}

/** An email's parties as stored, with each bound party resolved (and its address when none was used). */
export function partyViews(store: Store, email: Row): PartyView[] {
  const parties = Array.isArray(email.email_activity_parties) ? (email.email_activity_parties as Row[]) : [];
  return parties.map((p) => {
    const bind = Object.keys(p).find((k) => k.endsWith('@odata.bind'));
    const party = bind ? resolveParty(store, bind, p[bind], false) : null;
    const row = party ? store.get(entityBySet(PARTY_TARGETS[party.type]!)!, party.id) : undefined;
    const own = row?.emailaddress ?? row?.emailaddress1 ?? row?.internalemailaddress;
    const address = typeof p.addressused === 'string' ? p.addressused : typeof own === 'string' ? own : null;
    return {
      mask: Number(p.participationtypemask),
      address,
      partyType: party?.type ?? null,
      partyId: party?.id ?? null,
    };
  });
}

const OBJECT_BINDS = ['objectid_activitypointer@odata.bind', 'objectid_email@odata.bind'];

/**
 * An attachment's create body, checked and completed: bound to an existing email (`objectid_activitypointer`
 * is the email's activity row, so it is stored as `objectid_email`), `objecttypecode` 'email', the email
 * still open (a sent email is read-only: email.md "Completed and canceled email is read-only"), `body`
 * Base64 and `filesize` (read-only: computed from the body).
 */
export function prepareAttachment(store: Store, body: Row): Row {
  const key = OBJECT_BINDS.find((k) => body[k] !== undefined);
  if (!key) throw ERR.badRequest("The attachment's objectid is required."); // objectid is SystemRequired
  const ref = typeof body[key] === 'string' ? parseRef(body[key] as string) : null;
  const expected = key === OBJECT_BINDS[0] ? 'activitypointers' : 'emails';
  if (!ref || ref.set !== expected || ref.key.kind !== 'id')
    throw ERR.badRequest(`Invalid @odata.bind value '${String(body[key])}'.`);
  const email = store.get(entityBySet('emails')!, ref.key.id);
  if (!email) throw ERR.notFound(expected === 'emails' ? 'email' : 'activitypointer', ref.key.id);
  if (body.objecttypecode !== 'email')
    throw ERR.badRequest("The attachment's objecttypecode must name the table of its objectid ('email').");
  if (email.statecode !== 0)
    throw new ODataError(
      400,
      '0x80040203',
      'An attachment cannot be added to an email that is not open: the email was sent or closed.',
    );
  const { [key]: _bind, filesize: _ignored, ...rest } = body;
  const content = typeof rest.body === 'string' ? rest.body : '';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0)
    throw ERR.payload('activitymimeattachments', "The attachment's body is not valid Base64.");
  return {
    ...rest,
    'objectid_email@odata.bind': `/emails(${String(email.activityid)})`,
    filesize: Buffer.from(content, 'base64').length,
  };
}
