/**
 * `webhooks/WebhookSubscriptions` (reference §10): GET lists a division's subscriptions, POST subscribes
 * `{ CallbackURL, Topic }`. Through exactRequest (governor, token, error mapping, GET retries; a POST is never
 * repeated) after the division guard, every answer through zod. The app scope "Organization administration" is
 * needed; without it Exact answers 403 "Application Scope Violated", which becomes ExactWebhookScopeError.
 * Subscribing waits for Exact's validation POST to the callback (about 1 s).
 *
 *   const hooks = createExactWebhooks({ baseUrl, connectionId: 'tenant-1', tokens, governor });
 *   await hooks.list(123456); // [{ callbackUrl, topic }]
 *   await hooks.subscribe(123456, 'https://…/api/exact/webhook?tenant=tenant-1', 'SalesInvoices');
 */
import { z } from 'zod';
import type { ExactWebhookSubscriptions } from '../../app/exactSubscriptions';
import { createRequestContext, type ExactConnectionOptions } from './context';
import { assertDivisionGranted } from './divisionGuard';
import { ExactAuthError } from './errors';
import { exactRequest } from './request';
import { readRows } from './rows';

export const WEBHOOKS_SCOPE = 'Organization administration';
const SCOPE_VIOLATED = /application scope violated/i;

/** Exact refused the subscriptions endpoint: the app registration lacks the scope (permanent until added). */
export class ExactWebhookScopeError extends ExactAuthError {
  constructor(exactText: string) {
    super(
      `Exact Online refused the webhook subscriptions: the app registration needs the "${WEBHOOKS_SCOPE}" scope (add it in Exact's App Center, then connect again). ${exactText}`,
      403,
      false,
    );
  }
}

const SubscriptionSchema = z.object({
  ID: z.string(),
  CallbackURL: z.string(),
  Topic: z.string(),
  Division: z.number().int().optional(),
});

export function createExactWebhooks(opts: ExactConnectionOptions): ExactWebhookSubscriptions {
  const ctx = createRequestContext(opts);
  return {
    async list(division) {
      await assertDivisionGranted(opts.tokens, opts.connectionId, division);
      const out: Array<{ callbackUrl: string; topic: string }> = [];
      const path = 'webhooks/WebhookSubscriptions?$select=ID,CallbackURL,Topic,Division';
      await scoped(async () => {
        for await (const s of readRows(ctx, division, path, SubscriptionSchema))
          out.push({ callbackUrl: s.CallbackURL, topic: s.Topic });
      });
      return out;
    },
    async subscribe(division, callbackUrl, topic) {
      await assertDivisionGranted(opts.tokens, opts.connectionId, division);
      await scoped(() =>
        exactRequest(ctx, {
          method: 'POST',
          division,
          path: 'webhooks/WebhookSubscriptions',
          body: { CallbackURL: callbackUrl, Topic: topic },
        }),
      );
      ctx.log('info', 'exact webhook subscribed', { division, topic });
    },
  };
}

async function scoped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ExactAuthError && err.status === 403 && SCOPE_VIOLATED.test(err.message))
      throw new ExactWebhookScopeError(err.message);
    throw err;
  }
}
