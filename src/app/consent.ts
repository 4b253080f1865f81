/**
 * Whether an Exact consent may connect a tenant (issue 12.3). Exact lets one user reach many divisions and
 * keeps one token set per app and user, so a consent given for the wrong tenant both connects it to
 * someone else's administrations and revokes the consenting user's other connection. The rules:
 * the consent must reach every administration the tenant has in Dataverse, and none that another tenant
 * of this deployment owns (has as an administration, or holds in its connection).
 */

/** One tenant as the consent rules see it. */
export interface ConsentParty {
  name: string;
  /** Divisions of the tenant's administrations in Dataverse. */
  administrations(): Promise<number[]>;
  /** Divisions its stored connection was granted; null when unknown or not connected. */
  grantedDivisions(): Promise<number[] | null>;
  /** The Exact user of its stored, active connection; null when none. */
  connectionUser(): Promise<string | null>;
}

/**
 * `ok`: store the consent for the tenant. Otherwise `refusal` is said to the person who consented, and
 * `rescue` names the tenant whose connection belongs to the same Exact user: Exact has just revoked that
 * connection's tokens, so it gets the new set (when the rules allow it) instead of losing its connection.
 */
export type ConsentVerdict = { ok: true } | { ok: false; refusal: string; rescue: string | null };

export async function judgeConsent(
  target: ConsentParty,
  all: ConsentParty[],
  granted: number[],
  userId: string | null,
): Promise<ConsentVerdict> {
  const refusal = await problemFor(target, all, granted);
  if (refusal === null) return { ok: true };
  let rescue: string | null = null;
  for (const party of all) {
    if (party.name === target.name || !userId || (await party.connectionUser()) !== userId) continue;
    if ((await problemFor(party, all, granted)) === null) rescue = party.name;
  }
  return { ok: false, refusal, rescue };
}

async function problemFor(
  target: ConsentParty,
  all: ConsentParty[],
  granted: number[],
): Promise<string | null> {
  const own = await target.administrations();
  const missing = own.filter((d) => !granted.includes(d));
  if (missing.length > 0) {
    return `The Exact user who consented cannot reach division ${missing.join(', ')} of this tenant's administrations. Sign in to Exact as a user of these administrations and connect again.`;
  }
  for (const other of all) {
    if (other.name === target.name) continue;
    const theirs = new Set([...(await other.administrations()), ...((await other.grantedDivisions()) ?? [])]);
    const clash = granted.filter((d) => theirs.has(d));
    if (clash.length > 0) {
      return `The Exact user who consented can reach division ${clash.join(', ')}, which belongs to another tenant of this connector. Connect with an Exact user who reaches only this tenant's administrations.`;
    }
  }
  return null;
}
