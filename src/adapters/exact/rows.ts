/** Paged GETs of the master-data reads: every answer through its zod schema, `__next` followed on the token's host. */
import type { z } from 'zod';
import { ExactServerError } from './errors';
import { sameOrigin } from './oauth';
import { exactRequest, type RequestContext } from './request';
import { envelopeSchema } from './schemas';

/** Every row of a collection, following `__next` on the token's host; `stopAfter` spares an empty last page. */
export async function* readRows<S extends z.ZodType>(
  ctx: RequestContext,
  division: number | null,
  path: string,
  row: S,
  stopAfter?: number,
  /** Counts the pages read (a retried page once), for a caller that reports its cost. */
  spent?: { pages: number },
): AsyncGenerator<z.output<S>> {
  const schema = envelopeSchema(row);
  let next: string | undefined = path;
  let seen = 0;
  while (next) {
    const answer = await exactRequest(ctx, { method: 'GET', division, path: next });
    if (spent) spent.pages++;
    const parsed = schema.safeParse(answer.data);
    if (!parsed.success)
      throw new ExactServerError(`Exact answer on ${path.split('?')[0]} has an unexpected shape`, 502);
    const rows = parsed.data.d.results as z.output<S>[];
    yield* rows;
    seen += rows.length;
    const link = parsed.data.d.__next;
    next =
      link && (stopAfter === undefined || seen < stopAfter) && sameOrigin(link, ctx.baseUrl)
        ? link
        : undefined;
  }
}
