import type http from 'node:http';
import { ReadableStream } from 'node:stream/web';

/** Raised into the body stream when a request body streams past the host's limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The request body as a web stream that reads from the socket only as fast as the handler reads, and
 * errors (without reading further) once more than `limit` bytes arrived. A cancelled or failed stream
 * pauses the request; the host then closes the connection after its answer.
 */
export function cappedBody(req: http.IncomingMessage, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  let finished = false;
  const stop = () => {
    finished = true;
    req.pause();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.pause();
      req.on('data', (chunk: Buffer) => {
        if (finished) return;
        seen += chunk.length;
        if (seen > limit) {
          stop();
          controller.error(new BodyTooLargeError(limit));
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on('end', () => {
        if (finished) return;
        finished = true;
        controller.close();
      });
      req.on('error', (err) => {
        if (finished) return;
        stop();
        controller.error(err);
      });
    },
    pull() {
      if (!finished) req.resume();
    },
    cancel() {
      stop();
    },
  });
}
