// A file's bytes as a Node stream on both sides of a Web Request/Response, for the transport that
// has one. Route handlers speak Request/Response; under Next that means a Web stream at each end
// (undici copies every chunk of a request body, and a response body goes through a second queue).
// The custom server's file-transfer path (src/app/api/_files/node-transfer.ts) instead hands the
// socket's own stream in and pipes the file's own stream out, so a 25 MB upload or download moves
// in a few large steps. The handlers are the same either way: they ask here first, and fall back
// to the Web body.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

const requestBodies = new WeakMap<Request, Readable>();
const responseBodies = new WeakMap<Response, Readable>();

/** Marks `request` as carrying `body` (an IncomingMessage) instead of a Web stream. */
export function withNodeBody(request: Request, body: Readable): Request {
  requestBodies.set(request, body);
  return request;
}

/** The request's body as a Node stream: the transport's own one when it gave it, else converted. */
export function requestBodyStream(request: Request): Readable | null {
  const own = requestBodies.get(request);
  if (own) return own;
  if (!request.body) return null;
  return Readable.fromWeb(request.body as unknown as WebReadableStream<Uint8Array>);
}

/**
 * A Response body backed by a Node stream. Its Web side reads the stream only when pulled (the
 * file stream's own 1 MB chunks, one per pull), so a transport that takes the Node stream
 * (nodeBodyOf) never starts the Web copy at all.
 */
export function nodeBackedBody(body: Readable): {
  web: ReadableStream<Uint8Array>;
  attach(response: Response): Response;
} {
  let chunks: AsyncIterator<Buffer> | undefined;
  const web = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        chunks ??= body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel(reason) {
        body.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    // Nothing is read ahead: a Web stream with a queue pulls as soon as it exists, which would
    // start draining the file for a transport that takes the Node stream instead.
    new CountQueuingStrategy({ highWaterMark: 0 }),
  );
  return {
    web,
    attach(response) {
      responseBodies.set(response, body);
      return response;
    },
  };
}

/** The Node stream behind a Response made with nodeBackedBody, if any. */
export function nodeBodyOf(response: Response): Readable | undefined {
  return responseBodies.get(response);
}
