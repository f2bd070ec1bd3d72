/// <reference types="node" preserve="true" />
import { request as httpRequest } from 'node:http';
import type { Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { constants as zlibConstants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /**
   * The agents that hold connections to the provider, to tune pooling or go through a proxy's
   * agent. Node's global agents (which keep connections alive) when not given.
   */
  agents?: { http?: HttpAgent | undefined; https?: HttpsAgent | undefined } | undefined;
}

/** Statuses a response has no body with, which `Response` refuses a body for. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** How many redirects a request follows before it fails, as fetch's own limit. */
const MAX_REDIRECTS = 20;

/**
 * A `fetch` for a Node server's requests to a provider, made on `node:http` and `node:https`
 * rather than on Node's built-in fetch. Pass it as `fetch` to `createChatHandler` or `streamText`.
 *
 * Why: a server relaying a thousand replies at once spends most of what each open reply holds,
 * and much of its CPU, in the built-in fetch's own machinery. With this one, the relay
 * benchmark's chat handler held less than half the memory per open reply (see the README's
 * figures). The response is a standard `Response`, and its body a `ReadableStream` that pauses
 * the socket while its reader does not read.
 *
 * It does what a provider request needs and no more: the methods, headers and bodies of fetch
 * (a stream body is read whole, then sent); `signal`, which destroys the connection; redirects,
 * followed unless `redirect` says otherwise; and gzip, deflate and brotli bodies, decoded (it
 * asks for none, since streamed answers are better sent as they are). It does not read cookies,
 * caches or credentials modes, and has no timeouts of its own: `streamText`'s `idleTimeoutMs`
 * (the chat handler's is 5 minutes by default) ends a request that stalls. A request that cannot
 * be made rejects with a `TypeError` whose `cause` is Node's error (`ECONNREFUSED`, say), and a
 * connection that breaks mid-body errors the body with one, as the built-in fetch does.
 *
 * @example
 * ```ts
 * import { createChatHandler } from '@sluice/stream-client/server';
 * import { createNodeFetch } from '@sluice/stream-client/node';
 *
 * const chat = createChatHandler({ provider: 'openai', model: 'gpt-4o-mini', fetch: createNodeFetch() });
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  const agents = options.agents ?? {};
  return async (input, init) => {
    // The caller's own signal is watched, not the Request's: that one follows the caller's only
    // through a weak reference, which a garbage collection ends once this function has returned.
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    const request = new Request(input, { ...init, signal: null });
    // A body given as anything but text or bytes (a form, a stream, a blob) is read whole by the
    // Request it was given to, which also chose its content type.
    const given: unknown = init?.body ?? (input instanceof Request ? input.body : null);
    let body: string | Uint8Array | undefined =
      typeof given === 'string'
        ? given
        : given instanceof Uint8Array
          ? // Copied, as fetch does: the caller may reuse the array, and a redirect sends it again.
            given.slice()
          : given === null || given === undefined
            ? undefined
            : new Uint8Array(await request.arrayBuffer());
    let method = request.method;
    let url = new URL(request.url);
    const headers: OutgoingHttpHeaders = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    for (let redirects = 0; ; redirects++) {
      signal?.throwIfAborted();
      const incoming = await send(url, method, headers, body, signal, agents);
      const status = incoming.statusCode ?? 0;
      const location = incoming.headers.location;
      if (!REDIRECT_STATUSES.has(status) || location === undefined || request.redirect === 'manual') {
        try {
          return respond(incoming, method, signal);
        } catch (error) {
          // A status a Response cannot have (below 200, above 599): the connection is let go.
          incoming.destroy();
          throw new TypeError('fetch failed', { cause: error });
        }
      }
      incoming.resume();
      if (request.redirect === 'error') throw new TypeError(`fetch failed: redirected to ${location}`);
      if (redirects === MAX_REDIRECTS) throw new TypeError('fetch failed: too many redirects');
      const next = new URL(location, url);
      // As fetch does: a 303, or a 301 or 302 of a POST, becomes a GET without the body.
      if (status === 303 ? method !== 'HEAD' : status !== 307 && status !== 308 && method === 'POST') {
        method = 'GET';
        body = undefined;
        for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language'])
          delete headers[name];
      }
      // As fetch does, the standard credentials are not sent to another origin. A provider's own
      // key header (Anthropic's x-api-key) is, as with fetch: keep redirects within one origin.
      if (next.origin !== url.origin) {
        delete headers['authorization'];
        delete headers['proxy-authorization'];
        delete headers['cookie'];
      }
      url = next;
    }
  };
}

/** Makes one request and resolves with its response's head. */
function send(
  url: URL,
  method: string,
  headers: OutgoingHttpHeaders,
  body: string | Uint8Array | undefined,
  signal: AbortSignal | undefined,
  agents: NonNullable<NodeFetchOptions['agents']>,
): Promise<IncomingMessage> {
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') {
    return Promise.reject(new TypeError(`fetch failed: ${url.protocol} URLs are not supported`));
  }
  return new Promise((resolve, reject) => {
    const agent = secure ? agents.https : agents.http;
    const outgoing = (secure ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      ...(agent === undefined ? {} : { agent }),
    });
    // Rejected at once: a request still queued for one of the agent's sockets reports no error
    // when destroyed until a socket frees up.
    const onAbort = () => {
      reject(signal!.reason);
      outgoing.destroy();
    };
    outgoing.once('response', (incoming) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(incoming);
    });
    outgoing.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted === true ? signal.reason : new TypeError('fetch failed', { cause: error }));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.end(body);
  });
}

/** The `Response` for a response's head, its body read from the socket as the reader asks. */
function respond(incoming: IncomingMessage, method: string, signal: AbortSignal | undefined): Response {
  const status = incoming.statusCode ?? 0;
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  const init = { status, statusText: incoming.statusMessage ?? '', headers };
  if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
    incoming.resume();
    return new Response(null, init);
  }
  return new Response(bodyOf(incoming, signal), init);
}

/** The response's body, decoded, as a stream that reads the socket only while its reader does. */
function bodyOf(incoming: IncomingMessage, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const source = decoded(incoming);
  let settled = false;
  let onAbort = () => {};
  const settle = () => {
    settled = true;
    signal?.removeEventListener('abort', onAbort);
  };
  /** Lets go of the connection, and of the decoders' native memory, at once. */
  const release = () => {
    incoming.destroy();
    if (source !== incoming) source.destroy();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const fail = (error: unknown) => {
          if (settled) return;
          settle();
          controller.error(error);
          release();
        };
        onAbort = () => fail(signal!.reason);
        // Aborted between the response's head and this body: no abort event is left to come.
        if (signal?.aborted === true) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        source.on('data', (chunk: Uint8Array) => {
          if (settled) return;
          controller.enqueue(chunk);
          // Backpressure: the socket waits while the reader is far behind, and pull() resumes it.
          if ((controller.desiredSize ?? 0) <= 0) source.pause();
        });
        source.once('end', () => {
          if (settled) return;
          settle();
          controller.close();
        });
        source.once('error', (error) => fail(new TypeError('terminated', { cause: error })));
      },
      pull() {
        source.resume();
      },
      cancel() {
        settle();
        release();
      },
    },
    // Counted in bytes, so a reader that takes a moment between reads does not pause the socket
    // at every chunk.
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

/**
 * The body as sent, or through a decoder for each encoding it was sent in (the last applied
 * first). As lenient as fetch: an empty or cut-short compressed body gives what could be decoded.
 */
function decoded(incoming: IncomingMessage): Readable {
  const encodings = (incoming.headers['content-encoding'] ?? '')
    .toLowerCase()
    .split(',')
    .map((encoding) => encoding.trim())
    .filter((encoding) => encoding !== '' && encoding !== 'identity');
  // An encoding it does not know: the body is given as it came, as fetch does.
  if (!encodings.every((encoding) => DECODED.has(encoding))) return incoming;
  let body: Readable = incoming;
  for (let index = encodings.length - 1; index >= 0; index--) {
    const encoding = encodings[index];
    const decoder =
      encoding === 'br'
        ? createBrotliDecompress(lenientBrotli)
        : encoding === 'deflate'
          ? createInflate(lenient)
          : createGunzip(lenient);
    const from = body;
    from.on('error', (error) => decoder.destroy(error));
    body = from.pipe(decoder);
  }
  return body;
}

const DECODED = new Set(['gzip', 'x-gzip', 'deflate', 'br']);
const lenient = { flush: zlibConstants.Z_SYNC_FLUSH, finishFlush: zlibConstants.Z_SYNC_FLUSH };
const lenientBrotli = {
  flush: zlibConstants.BROTLI_OPERATION_FLUSH,
  finishFlush: zlibConstants.BROTLI_OPERATION_FLUSH,
};
