import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { acceptExactEvent } from '../src/app/exactEvent';
import { readExactWebhook, type ExactWebhookContent } from '../src/adapters/exact/webhooksSignature';
import { EXACT_TOPICS, INVOICE_TOPIC } from '../src/app/recentReads';
import { getRuntime, tenantById } from '../src/composition/runtime';
import { readCapped } from './dataverseWebhook';

/** A SalesInvoices webhook carries a key, not the invoice (reference §10): a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

const problem = (status: number, message: string): HttpResponseInit => ({
  status,
  jsonBody: { error: message },
});

/**
 * POST /api/exact/webhook?tenant=<name> — Exact Online's webhook for sales invoices and accounts (decisions
 * 0125, 0155). The empty validation POST gets 200; anything else must carry a `HashCode` made with the app's
 * webhook secret over the raw body. Every event is noted in the change log first, so no instance reuses a read
 * of what changed; then a sales invoice's Create or Update asks for the administration's sweep
 * (src/app/exactEvent.ts): 202.
 */
export async function exactWebhook(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const rt = await getRuntime();
  const name = request.query.get('tenant');
  const tenant = name ? tenantById(rt, name) : undefined;
  if (!tenant) return problem(404, 'unknown tenant: the callback URL names it as ?tenant=<name>');
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) return problem(413, `body of ${length} bytes exceeds ${MAX_BODY_BYTES}`);
  // Read from the stream up to the cap (the host streams bodies: decision 0040), never whole.
  const raw = await readCapped(request, MAX_BODY_BYTES);
  if (raw === null) return problem(413, `body exceeds ${MAX_BODY_BYTES} bytes`);

  if (raw.trim() === '') return { status: 200, jsonBody: { validated: true } };
  const checked = verified(raw, tenant.settings.ExactWebhookSecret);
  if ('refusal' in checked) return checked.refusal;
  const content = checked.content;

  try {
    await rt.exactChanges.note(tenant.name, content.Division, content.Topic, content.Key, rt.clock.now());
  } catch (err) {
    context.error(`exact webhook: change not noted: ${(err as Error).message}`);
    return problem(503, 'could not note the change; retry');
  }
  if (content.Topic !== INVOICE_TOPIC) return { status: 202, jsonBody: { accepted: true, noted: true } };

  try {
    const outcome = await rt.telemetry.withOperation(
      {
        name: 'exact webhook',
        tenant: tenant.name,
        traceparent: request.headers.get('traceparent') ?? undefined,
      },
      (traceparent) =>
        acceptExactEvent(
          {
            tenantId: tenant.name,
            directory: tenant.directory,
            ledger: rt.ledger,
            queue: rt.queue,
            clock: rt.clock,
            windowMs: rt.settings.EventWindowMs,
            traceparent,
          },
          { division: content.Division, action: content.Action, invoiceId: content.Key },
        ),
    );
    if (outcome.kind === 'unknownDivision') return problem(403, outcome.why);
    return {
      status: 202,
      jsonBody:
        outcome.kind === 'enqueued'
          ? { accepted: true, messageId: outcome.messageId }
          : { accepted: false, reason: outcome.why },
    };
  } catch (err) {
    // Exact's retry behaviour is not documented: the sweep is the safety net either way.
    context.error(`exact webhook: enqueue failed: ${(err as Error).message}`);
    return problem(503, 'could not enqueue the sweep request; retry');
  }
}

/** The webhook's Content when its HashCode is right and its topic one the connector subscribes to; else the refusal. */
function verified(
  raw: string,
  secret: string | undefined,
): { content: ExactWebhookContent } | { refusal: HttpResponseInit } {
  const refuse = (status: number, message: string) => ({ refusal: problem(status, message) });
  if (!secret)
    return refuse(401, 'this tenant has no Exact webhook secret (ExactWebhookSecret): webhooks are refused');
  const read = readExactWebhook(raw, secret);
  if (read.kind === 'forged') return refuse(401, `refused: ${read.why}`);
  if (read.kind === 'malformed') return refuse(400, `malformed Exact webhook: ${read.problem}`);
  if (read.kind !== 'event') return refuse(400, 'an Exact webhook with a body must be an event');
  if (!(EXACT_TOPICS as readonly string[]).includes(read.content.Topic))
    return refuse(
      400,
      `topic ${read.content.Topic.slice(0, 40)} is not one the connector subscribes to (${EXACT_TOPICS.join(', ')})`,
    );
  return { content: read.content };
}

app.http('exactWebhook', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'exact/webhook',
  handler: exactWebhook,
});
