/**
 * Whether an Exact consent may connect a tenant (issue 12.3). Exact lets one user reach many divisions and
 * keeps one token set per app and user, so a consent given for the wrong tenant both connects it to
 * someone else's administrations and revokes the consenting user's other connection. The rules:
 * the consent must reach every administration the tenant sends from (switched on in Dataverse), and none
 * that another tenant of this deployment owns (has as an administration, or holds in its connection).
 */

/** One tenant as the consent rules see it. */
export interface ConsentParty {
  name: string;
  /** The tenant's administrations in Dataverse; `active` when it sends from it (Print invoices on). */
  administrations(): Promise<Array<{ division: number; active: boolean }>>;
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

type Problem = { kind: 'missing' | 'clash'; message: string } | null;

export async function judgeConsent(
  target: ConsentParty,
  all: ConsentParty[],
  granted: number[],
  userId: string | null,
): Promise<ConsentVerdict> {
  const sameUser = await connectionsOf(all, userId);
  let problem: Problem;
  try {
    problem = await problemFor(target, all, granted);
  } catch {
    // Nothing can be checked; the user's own connection, revoked by Exact at this login, keeps working.
    const refusal =
      'The administrations could not be read to check this consent. Try connecting again in a few minutes.';
    return { ok: false, refusal, rescue: sameUser[0]?.name ?? null };
  }
  if (problem === null) return { ok: true };
  let rescue: string | null = null;
  for (const party of sameUser) {
    // The tenant's own user missing a new administration: the new set is no worse than the revoked one.
    if (party.name === target.name) rescue = problem.kind === 'missing' ? party.name : rescue;
    else if (await fits(party, all, granted)) rescue = party.name;
  }
  return { ok: false, refusal: problem.message, rescue };
}

/** The rules hold for `party` (and could be checked). */
const fits = (party: ConsentParty, all: ConsentParty[], granted: number[]): Promise<boolean> =>
  problemFor(party, all, granted).then(
    (p) => p === null,
    () => false,
  );

async function connectionsOf(all: ConsentParty[], userId: string | null): Promise<ConsentParty[]> {
  if (!userId) return [];
  const users = await Promise.all(all.map((p) => p.connectionUser()));
  return all.filter((_p, i) => users[i] === userId);
}

async function problemFor(target: ConsentParty, all: ConsentParty[], granted: number[]): Promise<Problem> {
  const own = await target.administrations();
  const missing = own.filter((a) => a.active && !granted.includes(a.division)).map((a) => a.division);
  if (missing.length > 0) {
    const message = `The Exact user who consented cannot reach division ${missing.join(', ')} of this tenant's administrations. Sign in to Exact as a user of these administrations and connect again.`;
    return { kind: 'missing', message };
  }
  for (const other of all) {
    if (other.name === target.name) continue;
    const theirs = new Set([
      ...(await other.administrations()).map((a) => a.division),
      ...((await other.grantedDivisions()) ?? []),
    ]);
    const clash = granted.filter((d) => theirs.has(d));
    if (clash.length > 0) {
      const message = `The Exact user who consented can reach division ${clash.join(', ')}, which belongs to another tenant of this connector. Connect with an Exact user who reaches only this tenant's administrations.`;
      return { kind: 'clash', message };
    }
  }
  return null;
}
