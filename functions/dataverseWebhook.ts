import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { acceptInvoiceEvent } from '../src/app/intake';
import { parseInvoiceEvent } from '../src/adapters/dataverse/invoiceChanged';
import { getRuntime, tenantByWebhookKey } from '../src/composition/runtime';

/** Dataverse limits webhook bodies to 256 KB before truncating; anything far larger is not Dataverse. */
const MAX_BODY_BYTES = 1024 * 1024;

const problem = (status: number, message: string): HttpResponseInit => ({
  status,
  jsonBody: { error: message },
});

/**
 * POST /api/dataverse/webhook — authenticate, validate, enqueue, 202. Never calls Exact or Dataverse,
 * so it answers well within Dataverse's 60 s (and our 1 s) budget.
 */
export async function dataverseWebhook(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const rt = await getRuntime();
  const tenant = tenantByWebhookKey(
    rt,
    request.headers.get('x-autoinvoice-key') ?? request.query.get('code'),
  );
  if (!tenant)
    return problem(401, 'missing or wrong webhook key: send the tenant secret in header x-autoinvoice-key');

  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) return problem(413, `body of ${length} bytes exceeds ${MAX_BODY_BYTES}`);
  const raw = await readCapped(request, MAX_BODY_BYTES);
  if (raw === null) return problem(413, `body exceeds ${MAX_BODY_BYTES} bytes`);

  const parsed = parseInvoiceEvent(raw);
  if (!parsed.ok) return problem(400, `malformed RemoteExecutionContext: ${parsed.problem}`);
  const event = parsed.event;
  if (event.organizationId !== tenant.settings.OrganizationId.toLowerCase()) {
    return problem(403, 'OrganizationId of the event does not belong to the tenant of this key');
  }

  try {
    // One operation from here to the print: continued from the caller's traceparent, carried by the request.
    const start = {
      name: 'dataverse webhook',
      tenant: tenant.name,
      traceparent: request.headers.get('traceparent') ?? undefined,
    };
    const outcome = await rt.telemetry.withOperation(start, (traceparent) =>
      acceptInvoiceEvent(
        { queue: rt.queue, clock: rt.clock, eventWindowMs: rt.settings.EventWindowMs },
        tenant.name,
        event,
        {
          truncated: request.headers.has('x-ms-dynamics-msg-size-exceeded'),
          trigger: 'webhook',
          traceparent,
        },
      ),
    );
    return {
      status: 202,
      jsonBody:
        outcome.kind === 'enqueued'
          ? { accepted: true, messageId: outcome.messageId }
          : { accepted: false, reason: outcome.why },
    };
  } catch (err) {
    // Dataverse retries once on 503: the event is not lost, and the sweep is the safety net.
    context.error(`webhook: enqueue failed: ${(err as Error).message}`);
    return problem(503, 'could not enqueue the dispatch request; retry');
  }
}

/**
 * The body, read from its stream up to `max` bytes; null (the rest unread, the stream cancelled) when it
 * is longer — or when the host already cut it at its own limit.
 */
export async function readCapped(request: HttpRequest, max: number): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.byteLength;
      if (size > max) {
        await reader.cancel();
        return null;
      }
      chunks.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    }
  } catch {
    return null;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The worker provides `@azure/functions-core`; outside it (tests, `npm start`) the library runs in test mode. */
function insideFunctionsHost(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@azure/functions-core');
    return true;
  } catch {
    return false;
  }
}

// Azure hands HTTP bodies over as streams (Functions host ≥ 4.28), so an unread body is never buffered.
// An older host refuses: bodies then arrive buffered up to the host's own limit, and are capped here still.
// The local host streams bodies itself (src/local/httpHost.ts).
if (insideFunctionsHost()) {
  try {
    app.setup({ enableHttpStream: true });
  } catch {
    // See above; the app must load either way.
  }
}

app.http('dataverseWebhook', {
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'dataverse/webhook',
  handler: dataverseWebhook,
});
