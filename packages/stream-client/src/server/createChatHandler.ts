import type { StreamPart } from '../providers/StreamPart.js';
import type { ChatRequest } from '../stores/buildChatRequestBody.js';
import type { RetryOptions } from '../transport/retryPolicy.js';
import { StreamError } from '../transport/StreamError.js';
import { streamText } from '../transport/streamText.js';
import type { StreamTextOptions } from '../transport/streamText.js';
import { ChatRequestError } from './ChatRequestError.js';
import type { ResumableStreams } from './createResumableStreams.js';
import { ReplyStoreError } from './ReplyStoreError.js';
import type { EventSourceInput } from './EventSource.js';
import { gone } from './gone.js';
import { providerDefaults, providerRequest } from './providerRequest.js';
import type { ChatProvider, ProviderSettings } from './providerRequest.js';
import { readBody } from './readBody.js';
import { readChatRequest } from './readChatRequest.js';
import { relay } from './relay.js';
import { chatSteps } from './chatSteps.js';
import type { ChatHandlerTool } from './ChatHandlerTool.js';
import { toolSpec } from '../tools/toolSpec.js';
import { reportFailure } from './reportFailure.js';
import type { RelayEnding } from './relay.js';
import { toSSEResponse } from './toSSEResponse.js';
import { writeSSE } from './writeSSE.js';
import type { NodeResponseLike } from './writeSSE.js';

/**
 * The parts of a Node request (node:http's `IncomingMessage`, Express's `req`) the chat handler
 * reads, so this module needs no Node types.
 */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  /** The HTTP method; only POST is answered. */
  readonly method?: string | undefined;
  /** The request headers, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Whether the body has been read to its end already (by middleware, say). */
  readonly readableEnded?: boolean | undefined;
  /** Set by body-parsing middleware (`express.json()`); when it is, the body is read from here. */
  readonly body?: unknown | undefined;
}

/** What the handler's hooks see of a request. */
export interface ChatContext {
  /** The request's headers: cookies, authorization. */
  headers: Headers;
  /**
   * The request as your server gave it: a Web `Request`, or Node's request with whatever your
   * middleware added to it (Express's `req.user`, say).
   */
  request: Request | NodeRequestLike;
  /**
   * The chat the request is about, when the client named one (`useChat({ id })`): check in
   * `authorize` that it belongs to the caller, since its live reply can be followed by its id.
   */
  chatId?: string | undefined;
}

/** What a {@link ChatModel} is given besides the conversation. */
export interface ChatModelOptions {
  /** Aborts when the reply is no longer wanted: stop generating then. */
  signal: AbortSignal;
  /** The reply's stream id. */
  streamId: string;
  /** The request the reply answers. */
  context: ChatContext;
}

/**
 * Your own model in place of a provider: a function from the conversation to the parts of the
 * reply (an agent loop, another SDK, a mock for tests and demos). Throw a `StreamError` to fail
 * with its kind; anything else thrown is reported to the client as the server's own failure.
 */
export type ChatModel = (chat: ChatRequest, options: ChatModelOptions) => AsyncIterable<StreamPart>;

/** A finished reply, for {@link ChatHandlerOptions.onFinish}. */
export interface ChatReply extends RelayEnding {
  /** The conversation it answered, as sent to the provider (system prompt included). */
  chat: ChatRequest;
  /** The request the reply answers. */
  context: ChatContext;
}

/** Options of {@link createChatHandler}. */
export interface ChatHandlerOptions {
  /** The provider to call (`'openai'` also serves any server that copies its API), or your own {@link ChatModel}. */
  provider: ChatProvider | ChatModel;
  /** The model; required for a named provider. */
  model?: string | undefined;
  /** The provider's API key; by default `OPENAI_API_KEY` or `ANTHROPIC_API_KEY` from the environment. */
  apiKey?: string | undefined;
  /**
   * Where the provider's API is, as its official SDK means it: by default `OPENAI_BASE_URL` or
   * `ANTHROPIC_BASE_URL` from the environment, else the provider's own. Point `'openai'` at any
   * compatible server (Groq, OpenRouter, vLLM, Ollama...).
   */
  baseURL?: string | undefined;
  /** The server's system prompt. It comes first; the one the client sends follows it. */
  system?: string | undefined;
  /** The most tokens to generate, under the provider's name for the limit (Anthropic's default is 4096). */
  maxTokens?: number | undefined;
  /** Any other fields of the provider's request body (temperature, tools, reasoning effort...). */
  providerOptions?: Record<string, unknown> | undefined;
  /** Extra headers of the provider request (an organisation, a beta flag). */
  headers?: Record<string, string> | undefined;
  /** Retries of the provider request before its first token; the client does not repeat them. Default 3 tries in all. */
  retry?: RetryOptions | false | undefined;
  /**
   * Fails the reply with kind `timeout` when the provider sends no bytes for this long; default
   * 5 minutes, so a provider that stalls never leaves a chat waiting forever. Raise it for models
   * that think silently for longer; 0 for none.
   */
  idleTimeoutMs?: number | undefined;
  /** Fails the reply with kind `timeout` when the provider sends no token for this long. */
  firstTokenTimeoutMs?: number | undefined;
  /** The fetch for provider requests: a proxy agent, or a test double. */
  fetch?: typeof fetch | undefined;
  /**
   * The largest request body accepted, in bytes; larger ones get a 413. Default 16 MiB, room for
   * a few attached images: the whole conversation, its files included, comes with every message.
   */
  maxBodyBytes?: number | undefined;
  /**
   * Tools run here, on the server, by name: their calls and results stream to the client as parts,
   * and the provider is called again with the results, up to `maxSteps` requests per reply.
   */
  tools?: Readonly<Record<string, ChatHandlerTool>> | undefined;
  /** Whether tools the client describes (`useChat({ tools })`, run in the browser) reach the provider; default true. */
  clientTools?: boolean | undefined;
  /** The most provider requests one reply may take while the server's tools run; default 5. */
  maxSteps?: number | undefined;
  /** How long a server tool may run before it fails (and its signal aborts); default 60 s. */
  toolTimeoutMs?: number | undefined;
  /**
   * Keeps replies so a client whose connection drops resumes the same reply, a reloaded page or a
   * second tab follows a chat's live reply, and a Stop reaches the producer. Without it, replies
   * are not numbered, a dropped connection ends the reply on the client (its text kept), and the
   * provider stops when the connection closes. With a shared store (`@sluice/redis`), all of this
   * works across server processes.
   */
  streams?: ResumableStreams | undefined;
  /** The interval of keep-alive comments while the provider is silent; default 15 s. */
  heartbeatMs?: number | undefined;
  /** Whether the caller may chat: `false` answers 401. Throw a {@link ChatRequestError} for another answer. */
  authorize?: ((context: ChatContext) => boolean | void | Promise<boolean | void>) | undefined;
  /**
   * Changes the conversation before it is sent: trim the history, add retrieved context, read
   * fields the client added to the body (`chat.body`), drop the client's system prompt. Throw a
   * {@link ChatRequestError} to refuse the request.
   */
  prepareRequest?: ((chat: ChatRequest, context: ChatContext) => ChatRequest | Promise<ChatRequest>) | undefined;
  /** Called once per reply when it ends (done, failed, or stopped), before its response closes: persist it here. */
  onFinish?: ((reply: ChatReply) => void | Promise<void>) | undefined;
  /** Called with each failure, for your logs; by default they are logged with `console.error`, the API key redacted. */
  onError?: ((error: unknown, context: ChatContext) => void) | undefined;
}

/**
 * A chat endpoint: a Web handler, `(request: Request) => Promise<Response>`, with the same
 * handler for Node's http server and Express as `node`.
 */
export interface ChatHandler {
  (request: Request): Promise<Response>;
  /**
   * The handler on a Node request and response (node:http, Express). When middleware has read the
   * body first, it must leave it parsed as `request.body`, as `express.json()` does.
   */
  node(request: NodeRequestLike, response: NodeResponseLike): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_STEPS = 5;
const DEFAULT_TOOL_TIMEOUT_MS = 60_000;
const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const JSON_MEDIA_TYPE = /^\s*application\/json\s*(;|$)/i;

/**
 * The server end of `useChat`: accepts exactly what `useChat` and `Chat` send, calls the provider
 * with the server's own key (OpenAI Chat Completions, OpenAI Responses, Anthropic Messages, any
 * OpenAI-compatible server, or your own model), and streams the reply back in the `sluice`
 * protocol, which their default provider reads.
 *
 * It owns the retries towards the provider (before the first token) and reports any failure as
 * an `error` event that keeps its kind, status and provider error type, so the client neither
 * repeats them nor loses their meaning. Bad requests get a 4xx with a JSON error that the client
 * shows as a sentence; nothing is thrown past the handler and the API key is never sent or logged.
 *
 * @example
 * ```ts
 * const chat = createChatHandler({ provider: 'openai', model: 'gpt-4o-mini' });
 * export const POST = chat; // Next.js, Hono (`(c) => chat(c.req.raw)`), Bun, Deno, workers
 * app.post('/api/chat', chat.node); // Express, node:http
 * ```
 */
export function createChatHandler(options: ChatHandlerOptions): ChatHandler {
  const { provider } = options;
  if (typeof provider !== 'function' && !(provider in providerDefaults)) {
    throw new TypeError(
      `createChatHandler: provider must be 'openai', 'openai-responses', 'anthropic' or a function, not ${JSON.stringify(provider)}.`,
    );
  }
  if (typeof provider !== 'function' && (typeof options.model !== 'string' || options.model === '')) {
    throw new TypeError(`createChatHandler: provider '${provider}' needs a model, such as { model: 'gpt-4o-mini' }.`);
  }
  const serverTools = options.tools ?? {};
  if (Object.keys(serverTools).length > 0 && typeof provider === 'function') {
    throw new TypeError(
      'createChatHandler: tools run between a provider’s steps; a model of your own runs its tools itself.',
    );
  }
  // Described once, so a schema that cannot be described fails at start-up, not on a request.
  const serverSpecs = Object.entries(serverTools).map(([name, tool]) => toolSpec(name, tool));
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;

  /** The provider's settings for this request, read now so a key set after start-up is seen. */
  function settings(): ProviderSettings | undefined {
    if (typeof provider === 'function') return undefined;
    const defaults = providerDefaults[provider];
    const apiKey = options.apiKey ?? environment(defaults.keyVariable);
    if (apiKey === undefined || apiKey === '') {
      throw new ChatRequestError(
        500,
        `The server has no API key for ${provider}: set ${defaults.keyVariable} or pass apiKey to createChatHandler.`,
        'configuration',
        false,
      );
    }
    return {
      provider,
      model: options.model!,
      apiKey,
      baseURL: options.baseURL ?? environment(defaults.baseURLVariable) ?? defaults.baseURL,
      maxTokens: options.maxTokens,
      providerOptions: options.providerOptions,
      headers: options.headers,
    };
  }

  /**
   * How the reply's parts are made: the provider called step after step while the server's tools
   * run (the first request built now, so a bad conversation fails here), or your model. Either
   * gets a signal of its own that the relay can abort too: a source that stalls is told to stop
   * when the reply times out, not only when the client leaves.
   */
  function prepareUpstream(chat: ChatRequest, context: ChatContext, found: ProviderSettings | undefined) {
    const request = (conversation: ChatRequest, signal: AbortSignal) => {
      const { url, headers, body } = providerRequest(found!, conversation);
      const stream: StreamTextOptions = { url, headers, body, provider: found!.provider, signal };
      if (options.retry !== undefined) stream.retry = options.retry;
      if (idleTimeoutMs > 0 && idleTimeoutMs < Infinity) stream.idleTimeoutMs = idleTimeoutMs;
      if (options.firstTokenTimeoutMs !== undefined) stream.firstTokenTimeoutMs = options.firstTokenTimeoutMs;
      if (options.fetch !== undefined) stream.fetch = options.fetch;
      return streamText(stream);
    };
    const conversation = found === undefined ? chat : withTools(chat);
    if (found !== undefined) providerRequest(found, conversation);
    return (signal: AbortSignal, streamId: string) => {
      const controller = new AbortController();
      const forward = () => controller.abort(signal.reason);
      if (signal.aborted) forward();
      else signal.addEventListener('abort', forward, { once: true });
      let inner: AsyncIterator<StreamPart> | undefined;
      let over = false;
      const end = () => {
        over = true;
        signal.removeEventListener('abort', forward);
      };
      const ended = (result: IteratorResult<StreamPart>) => {
        if (result.done === true) end();
        return result;
      };
      const failed = (error: unknown): never => {
        end();
        throw error;
      };
      // An iterator written out rather than an async generator around the steps: its `yield*` cost
      // a suspended generator and three promises per part of every reply, and it only had to
      // remove a listener at the end. The source is opened at the first next(), inside the
      // iteration, so even a model that throws at once becomes an error event.
      const parts: AsyncIterableIterator<StreamPart> = {
        next() {
          if (over) return Promise.resolve({ done: true, value: undefined });
          try {
            inner ??=
              found === undefined
                ? (provider as ChatModel)(chat, { signal: controller.signal, streamId, context })[
                    Symbol.asyncIterator
                  ]()
                : chatSteps({
                    chat: conversation,
                    tools: serverTools,
                    start: request,
                    signal: controller.signal,
                    context,
                    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
                    toolTimeoutMs: options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
                  });
            return inner.next().then(ended, failed);
          } catch (error) {
            end();
            return Promise.reject(error);
          }
        },
        async return(value?: unknown) {
          if (over) return { done: true, value: undefined };
          end();
          return (await inner?.return?.(value)) ?? { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
      return Object.assign(parts, { abort: (reason?: unknown) => controller.abort(reason) });
    };
  }

  /** The tools the provider is told of: the server's, then those the client describes (unless refused). */
  function withTools(chat: ChatRequest): ChatRequest {
    const client =
      options.clientTools === false ? [] : (chat.tools ?? []).filter((tool) => !Object.hasOwn(serverTools, tool.name));
    const tools = [...serverSpecs, ...client];
    const { tools: _described, ...rest } = chat;
    return tools.length === 0 ? rest : { ...rest, tools };
  }

  /** Everything but the transport: the stream to send, what a stop request gets, or the error to answer with. */
  async function answer(
    context: ChatContext,
    readJson: () => Promise<unknown>,
    disconnected: AbortSignal,
  ): Promise<EventSourceInput | ChatRequestError | 'nothing'> {
    let apiKey: string | undefined;
    const redact = (text: string) =>
      apiKey !== undefined && apiKey.length >= 8 ? text.split(apiKey).join('[redacted]') : text;
    const report = (error: unknown) => {
      try {
        if (options.onError !== undefined) {
          // Your hook may log anywhere: it gets the failure with the key taken out, as the log does.
          options.onError(redactError(error, redact), context);
          return;
        }
      } catch (thrown) {
        reportFailure('sluice chat handler: onError threw', thrown, redact);
      }
      reportFailure('sluice chat handler', error, redact);
    };
    try {
      const resumeChat = readChatId(context.headers.get(RESUME_HEADER));
      context.chatId = resumeChat ?? readChatId(context.headers.get(CHAT_HEADER));
      if (options.authorize !== undefined && (await options.authorize(context)) === false) {
        throw new ChatRequestError(401, 'Sign in to chat.', 'unauthorized', false);
      }
      const stop = context.headers.get(STOP_HEADER);
      if (stop !== null && stop !== '') {
        // The person pressed Stop: the producer stops, wherever it runs.
        await options.streams?.stop(stop);
        return 'nothing';
      }
      const found = settings();
      apiKey = found?.apiKey;
      const lastEventId = context.headers.get('last-event-id');
      if (lastEventId !== null && lastEventId !== '') {
        // A reconnection: continue the reply it names, or say it is gone. Never a new answer.
        return options.streams === undefined ? gone() : options.streams.resume(lastEventId);
      }
      if (resumeChat !== undefined) {
        // A page that loaded (or reloaded) the chat: follow its live reply from the start, if it has one.
        return (await options.streams?.resumeChat(resumeChat)) ?? 'nothing';
      }
      // Only a JSON request can carry a conversation. A cross-site form or no-cors fetch (which a
      // browser sends with the visitor's cookies, unasked) cannot be JSON: refusing the rest stops
      // other sites from spending the key.
      if (!JSON_MEDIA_TYPE.test(context.headers.get('content-type') ?? '')) {
        throw new ChatRequestError(
          415,
          'Send the conversation as JSON, with Content-Type: application/json.',
          'unsupported_media_type',
          false,
        );
      }
      let chat = readChatRequest(await readJson());
      if (options.prepareRequest !== undefined) chat = checkPrepared(await options.prepareRequest(chat, context));
      chat = withServerSystem(chat, options.system);
      const start = prepareUpstream(chat, context, found);
      if (disconnected.aborted) return emptySource();
      const reply = (signal: AbortSignal, streamId: string) =>
        relay(start(signal, streamId), {
          streamId,
          signal,
          // The same bound for a model of your own, and for a provider whose pings keep its bytes flowing.
          ...(idleTimeoutMs > 0 && idleTimeoutMs < Infinity ? { stallTimeoutMs: idleTimeoutMs } : {}),
          redact,
          onError: report,
          ...(options.onFinish === undefined
            ? {}
            : {
                onFinish: (ending: RelayEnding) =>
                  options.onFinish!({
                    ...ending,
                    ...(ending.error === undefined ? {} : { error: redactError(ending.error, redact) as StreamError }),
                    chat,
                    context,
                  }),
              }),
        });
      if (options.streams !== undefined) return await options.streams.start(reply, { chatId: context.chatId });
      const streamId = globalThis.crypto.randomUUID();
      return (signal: AbortSignal) => reply(signal, streamId);
    } catch (error) {
      if (error instanceof ChatRequestError) return error;
      if (ReplyStoreError.is(error)) {
        report(error);
        // Before the provider is asked: the client may try again, and its retries will, once the store is back.
        return new ChatRequestError(
          503,
          'The server cannot keep replies right now (its reply store is unreachable). Try again in a moment.',
          'store_unavailable',
          true,
        );
      }
      report(error);
      return new ChatRequestError(500, 'The server failed before it could answer.', 'server_error', true);
    }
  }

  const handler = async (request: Request): Promise<Response> => {
    try {
      const context: ChatContext = { headers: request.headers, request };
      if (request.method !== 'POST') return errorResponse(methodNotAllowed(request.method));
      const outcome = await answer(
        context,
        async () => {
          if (request.bodyUsed) throw bodyAlreadyRead();
          return parseJson(await readBody(request.body, limit, request.headers));
        },
        request.signal,
      );
      if (outcome === 'nothing') return new Response(null, { status: 204 });
      if (outcome instanceof ChatRequestError) return errorResponse(outcome);
      const sse: Parameters<typeof toSSEResponse>[1] = { signal: request.signal };
      if (options.heartbeatMs !== undefined) sse.heartbeatMs = options.heartbeatMs;
      return toSSEResponse(outcome, sse);
    } catch (error) {
      // Nothing thrown past the handler, whatever a hook or the runtime does.
      reportFailure('sluice chat handler', error, (text) => text);
      return errorResponse(internalError());
    }
  };

  const node = async (request: NodeRequestLike, response: NodeResponseLike): Promise<void> => {
    // Listen for the client leaving from the very start: a client gone while the body was read
    // or a hook awaited must still stop the provider, not leave it generating for nobody.
    const disconnect = new AbortController();
    const onClose = () => {
      if (!response.writableEnded) disconnect.abort(new Error('The client disconnected.'));
    };
    response.on('close', onClose);
    if (response.destroyed === true) onClose();
    let streaming = false;
    try {
      const headers = nodeHeaders(request.headers);
      const context: ChatContext = { headers, request };
      const outcome =
        request.method !== undefined && request.method !== 'POST'
          ? methodNotAllowed(request.method)
          : await answer(context, () => readNodeJson(request, headers, limit), disconnect.signal);
      if (outcome === 'nothing' || outcome instanceof ChatRequestError) {
        writeJsonError(response, outcome === 'nothing' ? undefined : outcome);
        return;
      }
      const sse: Parameters<typeof writeSSE>[2] = { signal: disconnect.signal };
      if (options.heartbeatMs !== undefined) sse.heartbeatMs = options.heartbeatMs;
      streaming = true;
      await writeSSE(response, outcome, sse);
    } catch (error) {
      // Nothing thrown past the handler: an unhandled rejection would take a node:http server down.
      reportFailure('sluice chat handler', error, (text) => text);
      if (!streaming) writeJsonError(response, internalError());
      else if (!response.destroyed && response.writableEnded !== true) response.end();
    } finally {
      response.off?.('close', onClose);
    }
  };

  return Object.assign(handler, { node });
}

/** The header of a stop request: the stream id of the reply to stop. */
const STOP_HEADER = 'sluice-stop';
/** The header of a request for a chat's live reply: the chat's id, URI-encoded. */
const RESUME_HEADER = 'sluice-resume';
/** The header naming the chat a new message belongs to: the chat's id, URI-encoded. */
const CHAT_HEADER = 'sluice-chat';
/** The longest chat id accepted: ids become keys of the reply store. */
const MAX_CHAT_ID_LENGTH = 256;

/** A chat id from its header, URI-decoded, or `undefined` when there is none; a malformed one is refused. */
function readChatId(header: string | null): string | undefined {
  if (header === null || header === '') return undefined;
  let chatId: string;
  try {
    chatId = decodeURIComponent(header);
  } catch {
    chatId = '';
  }
  if (chatId === '' || chatId.length > MAX_CHAT_ID_LENGTH) {
    throw new ChatRequestError(
      400,
      `A chat id must be 1 to ${MAX_CHAT_ID_LENGTH} characters, URI-encoded in its header.`,
      'invalid_request',
      false,
    );
  }
  return chatId;
}

/** The conversation `prepareRequest` returned, checked as strictly as the one the client sent. */
function checkPrepared(value: unknown): ChatRequest {
  try {
    if (value === null || typeof value !== 'object') throw new TypeError('it returned no object');
    const { messages, system, body } = value as Partial<ChatRequest>;
    const checked = readChatRequest({ messages, system });
    if (body !== undefined) checked.body = body;
    return checked;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TypeError(`prepareRequest must return the chat request ({ messages, system?, body? }): ${why}`, {
      cause: error,
    });
  }
}

/**
 * A failure as your hooks may see it: the same error when no secret is in it, otherwise a copy of
 * it (a `StreamError` keeps its kind and details) with the secret replaced in message and stack.
 */
function redactError(error: unknown, redact: (text: string) => string): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redact(error) : error;
  const { message, stack } = error;
  if (redact(message) === message && (stack === undefined || redact(stack) === stack)) return error;
  const copy =
    error instanceof StreamError
      ? new StreamError(redact(message), {
          kind: error.kind,
          retryable: error.retryable,
          partial: error.partial,
          ...(error.status === undefined ? {} : { status: error.status }),
          ...(error.providerErrorType === undefined ? {} : { providerErrorType: error.providerErrorType }),
          ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
          ...(error.relayed === undefined ? {} : { relayed: error.relayed }),
        })
      : Object.assign(new Error(redact(message)), { name: error.name });
  if (stack !== undefined) copy.stack = redact(stack);
  return copy;
}

/** The server's system prompt first, then the client's. */
function withServerSystem(chat: ChatRequest, system: string | undefined): ChatRequest {
  if (system === undefined || system === '') return chat;
  return { ...chat, system: chat.system === undefined || chat.system === '' ? system : `${system}\n\n${chat.system}` };
}

async function* emptySource(): AsyncGenerator<never, void, undefined> {}

function methodNotAllowed(method: string): ChatRequestError {
  return new ChatRequestError(405, `Send the conversation with POST, not ${method}.`, 'method_not_allowed', false);
}

function internalError(): ChatRequestError {
  return new ChatRequestError(500, 'The server failed before it could answer.', 'server_error', true);
}

function bodyAlreadyRead(): ChatRequestError {
  return new ChatRequestError(
    500,
    'The request body was read before the chat handler saw it: give the handler the request unread, or (on Node) the parsed body as request.body.',
    'configuration',
    false,
  );
}

function errorResponse(error: ChatRequestError): Response {
  const headers: Record<string, string> = error.status === 405 ? { ...JSON_HEADERS, allow: 'POST' } : JSON_HEADERS;
  return new Response(JSON.stringify(error), { status: error.status, headers });
}

/** Answers on a Node response with a JSON error, or with 204 for none, unless the client has gone. */
function writeJsonError(response: NodeResponseLike, error: ChatRequestError | undefined): void {
  if (response.destroyed === true || response.writableEnded === true) return;
  if (error === undefined) {
    response.writeHead(204, {});
    response.end();
    return;
  }
  response.writeHead(error.status, error.status === 405 ? { ...JSON_HEADERS, allow: 'POST' } : JSON_HEADERS);
  response.end(JSON.stringify(error));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ChatRequestError(
      400,
      'The body must be JSON: { "messages": [{ "role", "content" }] }.',
      'invalid_request',
      false,
    );
  }
}

/** The body of a Node request: already parsed by middleware, or read here within the limit. */
async function readNodeJson(request: NodeRequestLike, headers: Headers, limit: number): Promise<unknown> {
  const parsed = request.body;
  if (typeof parsed === 'string' || parsed instanceof Uint8Array) {
    return parseJson(await readBody([parsed], limit, headers));
  }
  if (parsed !== undefined && parsed !== null && !isEmptyObject(parsed)) return parsed;
  if (request.readableEnded === true) {
    // Middleware that saw no JSON leaves `{}`: that is an empty body, not one read elsewhere.
    if (parsed !== undefined) return parsed;
    throw bodyAlreadyRead();
  }
  return parseJson(await readBody(request, limit, headers));
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function nodeHeaders(raw: NodeRequestLike['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    try {
      if (Array.isArray(value)) for (const each of value) headers.append(name, each);
      else headers.set(name, value);
    } catch {
      // A header Fetch cannot hold (HTTP/2 pseudo-headers such as `:path`) is of no use here.
    }
  }
  return headers;
}

/** An environment variable where there is an environment (Node, Bun, Deno with permission, Next.js edge). */
function environment(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}
