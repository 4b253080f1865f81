/**
 * `PUT crm/Accounts(guid'…')`: 204 with no body (reference §3). A PUT is never repeated by the client
 * (request.ts); a 500 with a message is transient twice per account, then a validation error, as a print's
 * (Exact reports validation as 500). The count is in memory and bounded.
 */
import { ExactServerError } from './errors';
import { exactRequest, type RequestContext } from './request';

export async function putAccount(
  ctx: RequestContext,
  write500s: Map<string, number>,
  division: number,
  id: string,
  body: Record<string, unknown>,
): Promise<void> {
  const key = `${division}:${id}`;
  const prior500s = write500s.get(key) ?? 0;
  try {
    await exactRequest(ctx, {
      method: 'PUT',
      division,
      path: `crm/Accounts(guid'${id}')`,
      body,
      prior500s,
    });
  } catch (err) {
    write500s.delete(key);
    if (err instanceof ExactServerError && err.suspectedValidation) {
      write500s.set(key, prior500s + 1);
      if (write500s.size > 1000) write500s.delete(write500s.keys().next().value!);
    }
    throw err;
  }
  write500s.delete(key);
  ctx.log('info', 'exact account updated', { division, fields: Object.keys(body) });
}
