/**
 * A batch answered as Server-Sent Events: `progress` after every chunk (done, total, percent, ETA), then one
 * `summary` (the counts and every invoice's line), or `error`. The batch runs to its end even when the
 * reader goes away: what was asked is done and audited (the queue would finish it anyway).
 */
import type { HttpResponseInit } from '@azure/functions';
import type { BatchEvent, BatchResult } from '../src/app/operator/batch';
import { OperatorInputError } from '../src/app/operator/ports';

export function batchAnswer(
  run: (onEvent: (e: BatchEvent) => void) => Promise<BatchResult>,
): HttpResponseInit {
  const encoder = new TextEncoder();
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => {
        if (open) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      void run((e) => send('progress', e))
        .then((result) => send('summary', result))
        .catch((err: Error) =>
          send('error', { error: err instanceof OperatorInputError ? err.message : 'the batch failed' }),
        )
        .finally(() => {
          if (open) controller.close();
          open = false;
        });
    },
    cancel() {
      open = false;
    },
  });
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
    body,
  };
}
