/**
 * Step 1b — the account contacts flagged "invoice recipient" (PRODUCT.md §12), for the relations whose email
 * goes by Dynamics 365: one query per request, and none when no invoice of it takes that route.
 */
import { emailRouteOf } from '../../domain';
import type { Item, Run } from './types';

function wantsContacts(it: Item): string | null {
  const { relation, administration } = it.ctx;
  if (!relation?.accountId || !administration || it.ctx.invoice.recipients) return null;
  if (emailRouteOf(relation, administration) !== 'dynamics') return null;
  const deciding = it.gate.kind === 'decide' || (it.gate.kind === 'keep' && it.resend);
  return deciding ? relation.accountId : null;
}

export async function withInvoiceContacts(run: Run, items: Item[]): Promise<Item[]> {
  const mail = run.deps.mail;
  const accounts = [...new Set(items.map(wantsContacts).filter((a): a is string => a !== null))];
  if (!mail || accounts.length === 0) return items;
  const found = await mail.dynamics.invoiceContacts(accounts);
  return items.map((it) => {
    const account = wantsContacts(it);
    if (account === null || !it.ctx.relation) return it;
    const relation = { ...it.ctx.relation, invoiceContacts: found.get(account) ?? [] };
    return { ...it, ctx: { ...it.ctx, relation } };
  });
}
