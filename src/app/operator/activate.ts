/**
 * Activation (PRODUCT.md §14): switch an administration on with a backlog date. Invoices dated before it are
 * left alone (`before_activation`) and listed; a person includes them later by moving the date back
 * (decision 0090). The answer is the plan as it stands after the switch.
 */
import { audited } from './audit';
import { administrationOf, planAdministration, type Plan } from './plan';
import { OperatorInputError, type OperatorDeps, type OperatorTenant } from './ports';

export interface Activation {
  plan: Plan;
  /** The invoices left alone as the backlog. */
  backlog: Plan['items'];
}

export async function activate(
  deps: OperatorDeps,
  t: OperatorTenant,
  order: { who: string; division: number; since: string },
): Promise<Activation> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(order.since) || Number.isNaN(Date.parse(order.since)))
    throw new OperatorInputError('the backlog date must be a date YYYY-MM-DD');
  return audited(
    deps,
    {
      who: order.who,
      action: 'activate',
      tenant: t.name,
      target: String(order.division),
      detail: { since: order.since },
    },
    async () => {
      const admin = await administrationOf(t, order.division);
      await t.activate(admin.id, order.since);
      const plan = await planAdministration(t, { division: order.division });
      return { plan, backlog: plan.items.filter((i) => i.reason === 'before_activation') };
    },
    (a) => ({ backlog: a.backlog.length, open: a.plan.items.length }),
  );
}
