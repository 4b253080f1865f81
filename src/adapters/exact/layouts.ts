/**
 * The layouts a print accepts (`salesinvoice/Layouts`, the authority) with their language and status from
 * `general/Layouts` matched by ID (decision 0071). A failing `general/Layouts` (scope, outage, a refusal)
 * costs the languages only: they stay null and `inactive` false. A lost connection or a spent daily budget
 * is not hidden.
 */
import type { ExactLayout } from '../../app/masterData/ports';
import { IntegrationError } from '../../app/errors';
import { ExactConnectionLostError, ExactDailyBudgetError } from './errors';
import {
  GENERAL_LAYOUT_SELECT,
  GeneralLayoutRowSchema,
  LAYOUT_SELECT,
  LayoutRowSchema,
  layoutLanguage,
} from './masterDataSchemas';
import { readRows } from './rows';
import type { RequestContext } from './request';

const q = encodeURIComponent;

export async function readLayouts(ctx: RequestContext, division: number): Promise<ExactLayout[]> {
  const layouts: ExactLayout[] = [];
  for await (const l of readRows(
    ctx,
    division,
    `salesinvoice/Layouts?$select=${q(LAYOUT_SELECT)}`,
    LayoutRowSchema,
  ))
    layouts.push({
      id: l.ID.toLowerCase(),
      name: l.Subject ?? '',
      type: l.Type === 2 ? 'email' : 'document',
      language: null,
      inactive: false,
    });
  const general = new Map<string, { language: string | null; status: number | null }>();
  try {
    const path = `general/Layouts?$select=${q(GENERAL_LAYOUT_SELECT)}`;
    for await (const g of readRows(ctx, division, path, GeneralLayoutRowSchema))
      general.set(g.ID.toLowerCase(), { language: g.Language, status: g.Status });
  } catch (err) {
    if (!(err instanceof IntegrationError)) throw err;
    if (err instanceof ExactConnectionLostError || err instanceof ExactDailyBudgetError) throw err;
    ctx.log('warn', 'exact general/Layouts unreadable; layout languages left empty', {
      division,
      error: err.name,
    });
    return layouts;
  }
  return layouts.map((l) => {
    const g = general.get(l.id);
    return g ? { ...l, language: layoutLanguage(g.language), inactive: g.status === 1 } : l;
  });
}
