/**
 * A provisioning plan: every change it would make, each with the call that makes it. Reads happen while
 * planning; writes only in `applyPlan`, so `--dry-run` is the plan printed and nothing else.
 */
export interface Change {
  action: 'create' | 'update' | 'delete';
  what: string;
  detail?: string;
  apply(): Promise<void>;
  /** Components whose labels must be published once the change is made. */
  publishes?: { entity?: string; optionSet?: string };
}

/** Something the command will not change on its own (type changes, foreign keys with our names…). */
export interface Conflict {
  what: string;
  why: string;
}

export interface Plan {
  changes: Change[];
  conflicts: Conflict[];
}

export type PlanOutcome = 'no changes' | 'applied' | 'dry run' | 'conflicts';

export function describeChange(c: Change): string {
  const sign = c.action === 'create' ? '+' : c.action === 'update' ? '~' : '-';
  return `${sign} ${c.action} ${c.what}${c.detail ? ` (${c.detail})` : ''}`;
}

/**
 * Prints the plan, then applies it unless it is a dry run or holds a conflict (nothing is written then:
 * half a schema is worse than none). Returns what happened, for the exit code.
 */
export async function applyPlan(
  plan: Plan,
  opts: {
    dryRun: boolean;
    out: (line: string) => void;
    publish?: (entities: string[], optionSets: string[]) => Promise<void>;
  },
): Promise<PlanOutcome> {
  for (const c of plan.changes) opts.out(describeChange(c));
  for (const c of plan.conflicts) opts.out(`! conflict ${c.what}: ${c.why}`);
  if (plan.conflicts.length > 0) {
    opts.out(
      `${plan.conflicts.length} conflict(s): nothing was changed; resolve them in Dataverse and run again`,
    );
    return 'conflicts';
  }
  if (plan.changes.length === 0) {
    opts.out('no changes');
    return 'no changes';
  }
  if (opts.dryRun) {
    opts.out(`dry run: ${plan.changes.length} change(s) planned, nothing written`);
    return 'dry run';
  }
  const entities = new Set<string>();
  const optionSets = new Set<string>();
  for (const c of plan.changes) {
    await c.apply();
    if (c.publishes?.entity) entities.add(c.publishes.entity);
    if (c.publishes?.optionSet) optionSets.add(c.publishes.optionSet);
  }
  if (opts.publish && (entities.size > 0 || optionSets.size > 0)) {
    await opts.publish([...entities], [...optionSets]);
    opts.out(`published ${[...entities, ...optionSets].join(', ')}`);
  }
  opts.out(`${plan.changes.length} change(s) applied`);
  return 'applied';
}
