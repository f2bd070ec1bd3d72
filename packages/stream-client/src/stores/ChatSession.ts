import { isStreamId } from '../providers/isStreamId.js';
import type { ToolOutcome } from '../tools/runTool.js';
import type { ToolDefinition } from '../tools/ToolDefinition.js';
import { toolSpec } from '../tools/toolSpec.js';
import { streamText } from '../transport/streamText.js';
import type { StreamTextOptions } from '../transport/streamText.js';
import { StreamError } from '../transport/StreamError.js';
import type { StreamResult } from '../transport/StreamResult.js';
import type { TextStream } from '../transport/TextStream.js';
import type { ChatRequest } from './buildChatRequestBody.js';
import { ChatBusyError } from './ChatBusyError.js';
import { chatTurns } from './chatTurns.js';
import { createFlushScheduler } from './createFlushScheduler.js';
import type { FlushScheduler, Throttle } from './createFlushScheduler.js';
import type { MessageMetadata, MessagePart, ToolCallPart } from './MessagePart.js';
import { loadToolArgumentsParser, MessagePartsBuilder } from './MessagePartsBuilder.js';
import type { AttachmentInput, AttachmentLimits } from './readAttachments.js';
import { sluiceRequestBody } from './sluiceRequestBody.js';
import { Subscribable } from './Subscribable.js';
import type { StreamStatus } from './TextStreamStore.js';

/** Who wrote a message. */
export type ChatRole = 'system' | 'user' | 'assistant';

/**
 * Where a message is: `done` (users' messages, and whole replies), `streaming` (including while
 * its tools run between steps), `waiting` (its tool calls wait for a person's approval or for
 * `addToolResult`), `stopped` (the user stopped it; its text stays), or `failed` (its text so far
 * stays, with the error).
 */
export type ChatMessageStatus = 'done' | 'streaming' | 'waiting' | 'stopped' | 'failed';

/** One message of a conversation. Immutable: a change makes a new object, and only for that message. */
export interface ChatMessage {
  readonly id: string;
  readonly role: ChatRole;
  /** The plain text: a user's words, or every text part of a reply (a blank line between its steps). */
  readonly content: string;
  readonly status: ChatMessageStatus;
  /**
   * What the message is made of, in order: text blocks, reasoning, tool calls moving through their
   * states, tools the provider ran, sources, files, data from the server, and where each step
   * starts. A user's message has its text and its files.
   */
  readonly parts: readonly MessagePart[];
  /** A reply's model, usage, cost and timings. */
  readonly metadata?: MessageMetadata | undefined;
  /**
   * The stream id a Sluice server gave the reply's latest step, once its first event arrives. Keep
   * it when you save the conversation: a reply saved while `streaming` is picked up again by `resume()`.
   */
  readonly streamId?: string | undefined;
  readonly error?: StreamError | undefined;
}

/**
 * A message to start a conversation with, as you saved it or as you write it: an id is made for it
 * when it has none, and parts (its text) when it has none.
 */
export type ChatMessageInit = Pick<ChatMessage, 'role' | 'content'> & Partial<ChatMessage>;

/** What {@link ChatSession.send} takes: the text, or the text with files. */
export type ChatInput = string | { text: string; files?: readonly AttachmentInput[] };

/** What a {@link ChatSession} holds. */
export interface ChatSnapshot {
  readonly messages: readonly ChatMessage[];
  /** The state of the latest reply. */
  readonly status: StreamStatus;
  /** The latest reply's failure, until the next send. */
  readonly error: StreamError | undefined;
}

/** Options of a {@link ChatSession}. */
export interface ChatSessionOptions extends Omit<StreamTextOptions, 'signal' | 'body'> {
  /**
   * The chat's id, sent with every request (in a `sluice-chat` header), so that a Sluice server
   * with kept replies knows which reply is the chat's live one; `resume()` asks for it.
   */
  id?: string | undefined;
  /**
   * For views (`useChat`, `Chat`): follow the chat's live reply on mount, by calling `resume()`,
   * so a reloaded page or a second tab shows the answer that is streaming. Needs `id`.
   */
  resume?: boolean | undefined;
  /** Extra fields of every request body (a model name, temperature...). */
  body?: Record<string, unknown> | undefined;
  /** The system prompt, sent with every request in the provider's place for it. */
  system?: string | undefined;
  initialMessages?: readonly ChatMessageInit[] | undefined;
  /**
   * Tools the model may call, run in the browser, by name. A reply that ends calling them runs
   * those with `execute` (once approved, for those with `needsApproval`), and sends the results
   * back for the next step, up to `maxSteps`; calls of tools without `execute` wait for
   * `addToolResult`.
   */
  tools?: Readonly<Record<string, ToolDefinition>> | undefined;
  /** The most requests one reply may take, its first included, while tools run; default 5. */
  maxSteps?: number | undefined;
  /** How long a tool may run before it fails (and its signal aborts); default 60 s. */
  toolTimeoutMs?: number | undefined;
  /** Which files `send` takes: size, number and media types. */
  attachments?: AttachmentLimits | undefined;
  /** Builds the request body yourself, instead of the provider's message format. */
  prepareBody?: ((request: ChatRequest) => unknown) | undefined;
  /** How often streaming text is published: once per animation frame (the default), every N ms, or every token. */
  throttle?: Throttle | undefined;
  /** Makes message ids. */
  generateId?: (() => string) | undefined;
  /** Each piece of reply text as it arrives (not throttled). */
  onToken?: ((delta: string, text: string) => void) | undefined;
  /** A reply finished whole (after its last step). */
  onFinish?: ((message: ChatMessage, result: StreamResult) => void) | undefined;
  /** A reply failed; the message keeps its partial text. */
  onError?: ((error: StreamError, message: ChatMessage) => void) | undefined;
}

let sessionCount = 0;

/** The header of a request for the chat's live reply: the chat's id, URI-encoded. */
const RESUME_HEADER = 'sluice-resume';
/** The header naming the chat a new message belongs to. */
const CHAT_HEADER = 'sluice-chat';
const DEFAULT_MAX_STEPS = 5;
const DEFAULT_TOOL_TIMEOUT_MS = 60_000;
/** What the model reads of calls left unanswered when the person went on. */
const MOVED_ON = 'The person sent a new message instead.';

/**
 * A conversation, for any UI framework: the messages, the state of the latest reply, and the
 * actions. Each message can be subscribed to on its own (`subscribeMessage`), so a view of a long
 * conversation re-renders only the message that is streaming.
 *
 * A reply is made of parts (text, reasoning, tool calls, sources, files...), updated in place as
 * the stream goes. With `tools`, a reply that calls them runs them and goes on, step after step.
 *
 * `send` while a reply is streaming is refused: the promise rejects with a {@link ChatBusyError}
 * and the conversation is left as it was. Stop the reply first, or wait for it.
 */
export class ChatSession extends Subscribable {
  private options: ChatSessionOptions;
  private snapshot: ChatSnapshot;
  private readonly messageListeners = new Map<string, Set<() => void>>();
  private byId: Map<string, ChatMessage>;
  private stream: TextStream | undefined;
  private streamingId: string | undefined;
  private settle: (() => void) | undefined;
  private settling: Promise<void> | undefined;
  private readonly scheduler: FlushScheduler;
  private readonly idPrefix = `m${(sessionCount++).toString(36)}-`;
  private idCount = 0;
  private builder: MessagePartsBuilder | undefined;
  /** A reply saved mid-answer that a resumption replaces: shown as it was until the stream catches up. */
  private saved: ChatMessage | undefined;
  /** A resumption asking whether the chat has a live reply, before it has shown anything. */
  private probe: TextStream | undefined;
  /** Aborts the tools running for the reply, on Stop. */
  private tools: AbortController | undefined;
  /** Usage and steps of the reply's earlier steps, which its next step adds to. */
  private carried: MessageMetadata | undefined;
  /** The result of the reply's latest step, for `onFinish` once the reply is whole. */
  private lastResult: StreamResult | undefined;
  /** A reply waiting for the code that puts its request in a provider's shape; its token. */
  private starting: object | undefined;

  /** @param options - the endpoint and provider, the system prompt, tools, initial messages, callbacks */
  constructor(options: ChatSessionOptions) {
    super();
    if (options.resume === true && (options.id === undefined || options.id === '')) {
      throw new TypeError('resume: true needs the chat’s id, to ask the server for its live reply: pass id too.');
    }
    this.options = options;
    this.snapshot = { messages: this.fromInits(options.initialMessages ?? []), status: 'idle', error: undefined };
    this.byId = new Map(this.snapshot.messages.map((message) => [message.id, message]));
    this.scheduler = createFlushScheduler(options.throttle ?? 'frame', this.flush);
    // Loaded while the conversation starts, so it is here before any tool call streams.
    void loadToolArgumentsParser().catch(() => {});
  }

  /** Replaces the options; a reply in flight keeps its request and uses the new callbacks at once. */
  setOptions(options: ChatSessionOptions): void {
    this.options = options;
    this.scheduler.setThrottle(options.throttle ?? 'frame');
  }

  /** The current snapshot; the same object until something changes. */
  readonly getSnapshot = (): ChatSnapshot => this.snapshot;

  /** One message, or `undefined`; the same object until that message changes. */
  readonly getMessage = (id: string): ChatMessage | undefined => this.byId.get(id);

  /** Calls `listener` when the message with `id` changes, and not for other messages. */
  readonly subscribeMessage = (id: string, listener: () => void): (() => void) => {
    let listeners = this.messageListeners.get(id);
    if (listeners === undefined) this.messageListeners.set(id, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.messageListeners.delete(id);
    };
  };

  /** Whether a reply is on its way: starting, streaming, or its tools running between steps. */
  get busy(): boolean {
    return this.stream !== undefined || this.tools !== undefined || this.starting !== undefined;
  }

  /**
   * Adds the user's message (with its files) and streams the reply. Resolves when the reply has
   * settled (finished, stopped, failed, or waiting on its tools: a failure is in the state, not
   * thrown). Rejects with a {@link ChatBusyError} while another reply streams, an
   * `AttachmentError` for a file that cannot go, and a TypeError for a message with nothing in it;
   * then nothing has changed. Tool calls the last reply left unanswered are answered as declined.
   */
  readonly send = async (input: ChatInput): Promise<void> => {
    this.dropProbe();
    if (this.busy) throw new ChatBusyError();
    const text = typeof input === 'string' ? input : input?.text;
    const fileInputs = typeof input === 'object' && input !== null ? (input.files ?? []) : [];
    if (typeof text !== 'string' || (text.trim() === '' && fileInputs.length === 0)) {
      throw new TypeError('send() needs the text of a message, or files.');
    }
    // Loaded on first use: an app whose people never attach a file never ships the reader.
    const files =
      fileInputs.length === 0
        ? []
        : await (await import('./readAttachments.js')).readAttachments(fileInputs, this.options.attachments);
    if (this.busy) throw new ChatBusyError();
    this.declineWaiting();
    const id = this.nextId();
    const parts: MessagePart[] = [];
    if (text !== '') parts.push({ type: 'text', id: `${id}-text`, text, state: 'done' });
    files.forEach((file, index) =>
      parts.push({
        type: 'file',
        id: `${id}-file-${index}`,
        mediaType: file.mediaType,
        url: file.url,
        ...(file.filename === undefined ? {} : { filename: file.filename }),
      }),
    );
    const message: ChatMessage = { id, role: 'user', content: text, status: 'done', parts };
    return this.reply([...this.snapshot.messages, message]);
  };

  /** Replaces the last assistant reply (or answers the last user message) with a new one. */
  readonly regenerate = (): Promise<void> => {
    this.dropProbe();
    if (this.busy) return Promise.reject(new ChatBusyError());
    const messages = [...this.snapshot.messages];
    while (messages.length > 0 && messages.at(-1)!.role === 'assistant') messages.pop();
    if (messages.length === 0) return Promise.reject(new TypeError('There is no message to answer.'));
    return this.reply(messages);
  };

  /**
   * Stops the reply: the connection closes, a server that keeps replies is told to stop generating
   * it, running tools are aborted, and the message keeps its text, marked stopped.
   */
  readonly stop = (): void => {
    this.dropProbe();
    const stream = this.stream;
    const id = this.streamingId;
    const tools = this.tools;
    if (this.starting !== undefined) {
      // Stopped before its request left: nothing was asked of anyone.
      this.starting = undefined;
      const last = this.snapshot.messages.at(-1);
      if (last !== undefined) this.replaceMessage(last.id, (message) => ({ ...message, status: 'stopped' }), 'aborted');
      return;
    }
    if (stream === undefined && tools === undefined) return;
    this.tools = undefined;
    tools?.abort(new Error('Stopped.'));
    if (stream !== undefined) {
      stream.stop();
      const saved = this.saved;
      const builder = this.builder;
      this.detach();
      builder?.end();
      if (id !== undefined && builder !== undefined) {
        this.replaceMessage(
          id,
          (message) =>
            saved !== undefined && builder.text.length < saved.content.length
              ? { ...message, status: 'stopped' }
              : { ...message, content: builder.text, parts: builder.parts, status: 'stopped' },
          'aborted',
        );
      }
    } else {
      const last = this.snapshot.messages.at(-1);
      if (last !== undefined) {
        this.replaceMessage(
          last.id,
          (message) => ({ ...message, parts: stopTools(message.parts), status: 'stopped' }),
          'aborted',
        );
      }
    }
    this.settleNow();
  };

  /**
   * Gives the result of a tool call that waits for one (a tool without `execute`, or one the app
   * runs elsewhere); `isError` makes it a failure the model reads. Once every call of the step has
   * its answer, the reply goes on.
   */
  readonly addToolResult = (toolCallId: string, output: unknown, options: { isError?: boolean } = {}): void => {
    this.updateToolCall(toolCallId, (part) =>
      part.state === 'input-available' || part.state === 'approved'
        ? options.isError === true
          ? { ...part, state: 'output-error', errorText: typeof output === 'string' ? output : JSON.stringify(output) }
          : { ...part, state: 'output-available', output }
        : undefined,
    );
  };

  /**
   * A person's answer to a call that waits for approval: approved, it runs (in the browser, or on
   * the server with the next request); denied, the model is told so, with the reason if given.
   */
  readonly addToolApproval = (toolCallId: string, approved: boolean, reason?: string): void => {
    this.updateToolCall(toolCallId, (part) =>
      part.state !== 'awaiting-approval'
        ? undefined
        : approved
          ? { ...part, state: 'approved' }
          : { ...part, state: 'denied', ...(reason === undefined || reason === '' ? {} : { denialReason: reason }) },
    );
  };

  /**
   * Follows the chat's live reply, if the server has one: for a page that was reloaded mid-answer,
   * or a second tab. A reply saved while `streaming` (the last message) is read again from its
   * step's first event and completed in place, exactly once; otherwise the chat's live reply, if
   * any, is appended. Resolves when that reply settles, or at once when there is none. Needs `id`,
   * and a Sluice server that keeps replies (`createChatHandler` with `streams`).
   */
  readonly resume = (): Promise<void> => {
    if (this.busy || this.probe !== undefined) return Promise.resolve();
    const chatId = this.options.id;
    if (chatId === undefined || chatId === '') {
      return Promise.reject(new TypeError('resume() needs the chat’s id: pass { id } with the options.'));
    }
    const last = this.snapshot.messages.at(-1);
    const saved = last?.role === 'assistant' && last.status === 'streaming' ? last : undefined;
    const headers = new Headers(this.options.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set(RESUME_HEADER, encodeURIComponent(chatId));
    // The saved reply from its first event: what was saved may lag what had arrived. A saved id that
    // cannot be a stream id (storage is the app's) is no reply to ask for.
    if (isStreamId(saved?.streamId)) headers.set('last-event-id', `${saved.streamId}:0`);
    let noReply = false;
    const transportFetch = this.options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const stream = streamText({
      ...this.transportOptions(),
      method: 'POST',
      headers,
      fetch: async (input, init) => {
        const response = await transportFetch(input, init);
        // 204: the chat has no live reply.
        noReply ||= response.status === 204;
        return response;
      },
    });
    if (saved !== undefined) return this.track(stream, saved.id, saved, () => noReply);
    // Nothing is shown until the server names a reply, and nothing if it is one already here. A
    // message sent meanwhile wins: the probe is dropped, so nobody's first message is refused.
    this.probe = stream;
    return new Promise<void>((resolve) => {
      let attached = false;
      const off = stream.on('part', (part) => {
        off();
        if (this.probe !== stream) return;
        this.probe = undefined;
        attached = true;
        if (part.type === 'sluice' && this.snapshot.messages.some((message) => message.streamId === part.streamId)) {
          stream.abort();
          resolve();
          return;
        }
        const assistant = this.newReply();
        this.publishAll({ messages: [...this.snapshot.messages, assistant], status: 'connecting', error: undefined });
        void this.track(stream, assistant.id).then(resolve);
        // The header was read before the message was tracking: the builder takes it in now.
        this.builder?.add(part);
        if (part.type === 'sluice') this.setStreamId(assistant.id, part.streamId);
      });
      // No reply to follow (or none could be reached): nothing was shown, so nothing changes.
      const done = () => {
        if (attached) return;
        if (this.probe === stream) this.probe = undefined;
        resolve();
      };
      stream.result().then(done, done);
    });
  };

  /** Replaces the messages (stopping any reply), for loading a saved conversation or editing one. */
  readonly setMessages = (
    messages: readonly ChatMessageInit[] | ((current: readonly ChatMessage[]) => readonly ChatMessageInit[]),
  ): void => {
    this.stop();
    const next = typeof messages === 'function' ? messages(this.snapshot.messages) : messages;
    this.publishAll({ messages: this.fromInits(next), status: 'idle', error: undefined });
  };

  /** Stops any reply and goes back to the initial messages. */
  readonly reset = (): void => {
    this.stop();
    this.publishAll({ messages: this.fromInits(this.options.initialMessages ?? []), status: 'idle', error: undefined });
  };

  /** Aborts any reply and its tools, and cancels pending work without publishing: for a view that is going away. */
  dispose(): void {
    this.dropProbe();
    this.starting = undefined;
    this.tools?.abort(new Error('Stopped.'));
    this.tools = undefined;
    this.detach();
    this.settleNow();
  }

  /**
   * Streams a reply to `history`: a new message, or the next step of `continuing`, the reply whose
   * tools have run, which goes on in place.
   */
  private reply(history: ChatMessage[], continuing?: ChatMessage): Promise<void> {
    const assistant = continuing === undefined ? this.newReply() : { ...continuing, status: 'streaming' as const };
    const conversation = continuing === undefined ? history : [...history, assistant];
    const { system, body = {}, prepareBody, tools } = this.options;
    const request: ChatRequest = { messages: chatTurns(conversation), body };
    if (system !== undefined) request.system = system;
    if (tools !== undefined) request.tools = Object.entries(tools).map(([name, tool]) => toolSpec(name, tool));
    const provider = this.options.provider;
    const direct = provider === 'openai' || provider === 'anthropic' || provider === 'openai-responses';
    // Built before anything is shown: a body that cannot be built changes nothing.
    const requestBody =
      prepareBody !== undefined ? prepareBody(request) : direct ? undefined : sluiceRequestBody(request);
    if (continuing === undefined) this.carried = undefined;
    this.publishAll({ messages: [...history, assistant], status: 'connecting', error: undefined });
    if (!direct || prepareBody !== undefined) return this.start(assistant.id, requestBody);
    // A provider called from the browser: the code for its request's shape loads on first use.
    const starting = {};
    this.starting = starting;
    return import('./buildChatRequestBody.js').then(({ buildChatRequestBody }) => {
      if (this.starting !== starting) return undefined;
      this.starting = undefined;
      return this.start(assistant.id, buildChatRequestBody(request, provider));
    });
  }

  /** Sends the request for a reply and shows its stream in the message. */
  private start(id: string, requestBody: unknown): Promise<void> {
    const transport = this.transportOptions();
    const chatId = this.options.id;
    if (chatId !== undefined && chatId !== '') {
      const headers = new Headers(transport.headers as ConstructorParameters<typeof Headers>[0]);
      headers.set(CHAT_HEADER, encodeURIComponent(chatId));
      transport.headers = headers;
    }
    return this.track(streamText({ ...transport, body: requestBody }), id);
  }

  /**
   * Shows a stream in a message until it settles. `saved` is the message as saved mid-answer,
   * whose last step the stream replays from its start: it stays shown until the stream has caught
   * up, and is kept if the stream fails sooner. `noReply` says the server had no reply to give.
   */
  private track(stream: TextStream, id: string, saved?: ChatMessage, noReply?: () => boolean): Promise<void> {
    this.stream = stream;
    this.streamingId = id;
    this.saved = saved;
    const message = this.byId.get(id)!;
    // The step goes on from the reply's earlier steps; a replayed step from the steps before it.
    const before = saved === undefined ? message.parts : saved.parts.slice(0, lastStepStart(saved.parts));
    const builder = new MessagePartsBuilder(before, plainText(before), () => `${id}-${(this.idCount++).toString(36)}`);
    this.builder = builder;
    stream.on('part', (part) => {
      if (this.stream !== stream) return;
      const length = builder.text.length;
      builder.add(part);
      if (builder.text.length !== length) this.options.onToken?.(builder.text.slice(length), builder.text);
      // Known from the reply's first event: saved with the message, it lets a reload pick the reply up.
      if (part.type === 'sluice') this.setStreamId(id, part.streamId);
      else if (builder.changed) this.scheduler.request();
    });
    // A reply's next step keeps the promise its first step gave: send() resolves when the reply settles.
    if (this.settle === undefined) this.settling = new Promise<void>((resolve) => (this.settle = resolve));
    const settled = this.settling!;
    stream.result().then(
      (result) => {
        if (this.stream !== stream) return;
        this.detach();
        builder.end();
        const metadata = this.metadataOf(result);
        this.lastResult = result;
        const next = this.replaceMessage(
          id,
          (current) => ({ ...current, content: builder.text, parts: builder.parts, metadata, status: 'streaming' }),
          'streaming',
        );
        if (next !== undefined) void this.afterStep(next, result);
      },
      (error: unknown) => {
        if (this.stream !== stream) return;
        this.detach();
        builder.end();
        let streamError = error instanceof StreamError ? error : undefined;
        if (streamError !== undefined && noReply?.() === true) {
          streamError = new StreamError('The reply was interrupted, and the server no longer has it running.', {
            kind: 'gone',
            retryable: true,
            partial: streamError.partial,
          });
        }
        // What had arrived stays, and a saved reply the stream had not caught up with stays as saved.
        const arrived =
          saved === undefined || builder.text.length >= saved.content.length
            ? { content: builder.text, parts: builder.parts }
            : {};
        if (streamError?.kind === 'aborted') {
          // Stopped elsewhere (another tab pressed Stop): stopped here too, not failed.
          this.replaceMessage(id, (current) => ({ ...current, ...arrived, status: 'stopped' }), 'aborted');
          this.settleNow();
          return;
        }
        const failed = this.replaceMessage(
          id,
          (current) => ({
            ...current,
            ...arrived,
            status: 'failed',
            ...(streamError === undefined ? {} : { error: streamError }),
          }),
          'error',
          streamError,
        );
        this.settleNow();
        if (streamError !== undefined && failed !== undefined) this.options.onError?.(streamError, failed);
      },
    );
    return settled;
  }

  /**
   * A step ended whole. Its tool calls that can run, run; a call that waits for a person or for
   * `addToolResult` leaves the reply `waiting`; once every call has its answer, the reply goes on
   * with the next step, up to `maxSteps`. A step without calls finishes the reply.
   */
  private async afterStep(message: ChatMessage, result: StreamResult): Promise<void> {
    const calls = lastStep(message.parts).filter(
      (part): part is ToolCallPart =>
        part.type === 'tool-call' && part.runsOn !== 'server' && part.state === 'input-available',
    );
    if (calls.length === 0 || this.options.tools === undefined) {
      this.goOn(message.id, result);
      return;
    }
    await this.runCalls(message.id, calls, false);
    this.goOn(message.id, result);
  }

  /**
   * Runs calls of the browser's tools (those approved already, or asking about those that need
   * it), recording each outcome in the message; Stop aborts them.
   */
  private async runCalls(messageId: string, calls: readonly ToolCallPart[], approved: boolean): Promise<void> {
    const controller = new AbortController();
    this.tools = controller;
    const { runToolCalls } = await import('./runToolCalls.js');
    if (this.tools !== controller) return;
    await runToolCalls(
      calls,
      this.options.tools ?? {},
      { signal: controller.signal, timeoutMs: this.options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, approved },
      {
        settle: (callId, outcome) => this.settleCall(messageId, callId, outcome),
        ask: (callId) => this.updateCall(messageId, callId, (part) => ({ ...part, state: 'awaiting-approval' })),
        messages: () => {
          const { messages } = this.snapshot;
          return messages.slice(0, messages.findIndex((message) => message.id === messageId) + 1);
        },
      },
    );
    if (this.tools === controller) this.tools = undefined;
  }

  /**
   * Goes on with the next step when every call of the last one has its answer (and the reply has
   * steps left); marks the reply waiting when some call still waits; finishes it otherwise.
   */
  private goOn(messageId: string, result: StreamResult | undefined): void {
    const message = this.byId.get(messageId);
    if (message === undefined || this.busy) return;
    const calls = lastStep(message.parts).filter((part): part is ToolCallPart => part.type === 'tool-call');
    const answered = calls.every(isAnswered);
    const steps = message.metadata?.steps ?? 1;
    if (calls.length > 0 && answered && steps < (this.options.maxSteps ?? DEFAULT_MAX_STEPS)) {
      const history = this.snapshot.messages.filter((other) => other.id !== messageId);
      this.carried = message.metadata;
      void this.reply(history, message);
      return;
    }
    if (!answered) {
      this.replaceMessage(messageId, (current) => ({ ...current, status: 'waiting' }), 'done');
      this.settleNow();
      return;
    }
    this.finish(messageId, result);
  }

  /** The reply is whole. */
  private finish(messageId: string, result: StreamResult | undefined): void {
    const message = this.replaceMessage(messageId, (current) => ({ ...current, status: 'done' }), 'done');
    this.settleNow();
    const last = result ?? this.lastResult;
    if (message !== undefined && last !== undefined) this.options.onFinish?.(message, last);
  }

  /** Records a call's outcome. */
  private settleCall(messageId: string, callId: string, outcome: ToolOutcome): void {
    this.updateCall(messageId, callId, (part) =>
      'output' in outcome
        ? { ...part, state: 'output-available', output: outcome.output }
        : { ...part, state: 'output-error', errorText: outcome.errorText },
    );
  }

  private updateCall(messageId: string, callId: string, update: (part: ToolCallPart) => ToolCallPart): void {
    this.replaceMessage(
      messageId,
      (message) => ({
        ...message,
        parts: message.parts.map((part) => (part.type === 'tool-call' && part.id === callId ? update(part) : part)),
      }),
      this.snapshot.status,
    );
  }

  /**
   * Changes a call of the last reply that is not running anything (an answer, an approval), then
   * carries the reply on: an approved call of a browser tool runs, and a step whose calls all have
   * their answers goes on.
   */
  private updateToolCall(toolCallId: string, update: (part: ToolCallPart) => ToolCallPart | undefined): void {
    const { messages } = this.snapshot;
    let index = messages.length - 1;
    while (index >= 0 && messages[index]!.role !== 'assistant') index--;
    const message = messages[index];
    if (message === undefined) throw new TypeError(`There is no tool call ${toolCallId} to answer.`);
    const call = message.parts.find(
      (part): part is ToolCallPart => part.type === 'tool-call' && part.id === toolCallId,
    );
    const next = call === undefined ? undefined : update(call);
    if (call === undefined || next === undefined) {
      throw new TypeError(
        `The tool call ${toolCallId} is not waiting for ${call === undefined ? 'anything' : 'this'}.`,
      );
    }
    this.updateCall(message.id, toolCallId, () => next);
    if (this.busy) return;
    if (
      next.state === 'approved' &&
      next.runsOn !== 'server' &&
      this.options.tools?.[next.name]?.execute !== undefined
    ) {
      this.replaceMessage(message.id, (current) => ({ ...current, status: 'streaming' }), 'streaming');
      void this.runCalls(message.id, [next], true).then(() => this.goOn(message.id, undefined));
      return;
    }
    this.goOn(message.id, undefined);
  }

  /** Calls the last reply left without an answer are declined, so the history can go on. */
  private declineWaiting(): void {
    const last = this.snapshot.messages.at(-1);
    if (last?.role !== 'assistant' || last.parts.every((part) => part.type !== 'tool-call' || isAnswered(part))) return;
    this.replaceMessage(
      last.id,
      (message) => ({
        ...message,
        status: message.status === 'waiting' ? 'done' : message.status,
        parts: message.parts.map((part) =>
          part.type === 'tool-call' && !isAnswered(part) ? { ...part, state: 'denied', denialReason: MOVED_ON } : part,
        ),
      }),
      this.snapshot.status,
    );
  }

  /** The reply's metadata after a step: its usage added to the earlier steps'. */
  private metadataOf(result: StreamResult): MessageMetadata {
    const before = this.carried;
    const usage =
      result.usage === undefined
        ? before?.usage
        : before?.usage === undefined
          ? result.usage
          : {
              inputTokens: before.usage.inputTokens + result.usage.inputTokens,
              outputTokens: before.usage.outputTokens + result.usage.outputTokens,
            };
    const cost =
      result.cost === undefined || before?.cost === undefined
        ? (result.cost ?? before?.cost)
        : {
            input: result.cost.input + before.cost.input,
            output: result.cost.output + before.cost.output,
            total: result.cost.total + before.cost.total,
          };
    return {
      ...(result.model === undefined ? {} : { model: result.model }),
      ...(result.responseId === undefined ? {} : { responseId: result.responseId }),
      ...(usage === undefined ? {} : { usage }),
      ...(cost === undefined ? {} : { cost }),
      metrics: result.metrics,
      ...(result.finishReason === undefined ? {} : { finishReason: result.finishReason }),
      steps: (before?.steps ?? 0) + 1,
    };
  }

  /** The options that are streamText's, without those of the session. */
  private transportOptions(): Omit<StreamTextOptions, 'signal' | 'body'> {
    const {
      throttle: _throttle,
      onToken: _onToken,
      onFinish: _onFinish,
      onError: _onError,
      system: _system,
      initialMessages: _initialMessages,
      prepareBody: _prepareBody,
      generateId: _generateId,
      body: _body,
      id: _id,
      resume: _resume,
      tools: _tools,
      maxSteps: _maxSteps,
      toolTimeoutMs: _toolTimeoutMs,
      attachments: _attachments,
      ...transport
    } = this.options;
    return transport;
  }

  private newReply(): ChatMessage {
    return { id: this.nextId(), role: 'assistant', content: '', status: 'streaming', parts: [] };
  }

  private setStreamId(id: string, streamId: string): void {
    if (this.byId.get(id)?.streamId === streamId) return;
    this.replaceMessage(id, (message) => ({ ...message, streamId }), this.snapshot.status);
  }

  private readonly flush = (): void => {
    const builder = this.builder;
    const id = this.streamingId;
    if (builder === undefined || id === undefined) return;
    if (this.saved !== undefined) {
      // Replaying a saved reply: no going back to shorter text while it catches up.
      if (builder.text.length < this.saved.content.length) return;
      this.saved = undefined;
    }
    this.replaceMessage(id, (message) => ({ ...message, content: builder.text, parts: builder.parts }), 'streaming');
  };

  /** Abandons a resumption that has shown nothing yet. */
  private dropProbe(): void {
    const probe = this.probe;
    this.probe = undefined;
    probe?.abort();
  }

  /** Lets go of the reply's stream, aborting it if it still runs (a settled stream ignores the abort). */
  private detach(): void {
    this.stream?.abort();
    this.stream = undefined;
    this.streamingId = undefined;
    this.saved = undefined;
    this.builder = undefined;
    this.scheduler.cancel();
  }

  private settleNow(): void {
    const settle = this.settle;
    this.settle = undefined;
    settle?.();
  }

  /** Replaces one message and publishes: the other messages keep their identity. */
  private replaceMessage(
    id: string,
    update: (message: ChatMessage) => ChatMessage,
    status: StreamStatus,
    error?: StreamError,
  ): ChatMessage | undefined {
    const messages = this.snapshot.messages;
    // The streaming message is the last one, so searching from the end finds it at once.
    let index = messages.length - 1;
    while (index >= 0 && messages[index]!.id !== id) index--;
    if (index === -1) return undefined;
    const message = update(messages[index]!);
    const next = messages.slice();
    next[index] = message;
    this.byId.set(id, message);
    this.snapshot = { messages: next, status, error };
    this.notify();
    this.notifyMessage(id);
    return message;
  }

  private publishAll(snapshot: ChatSnapshot): void {
    const before = this.byId;
    this.byId = new Map(snapshot.messages.map((message) => [message.id, message]));
    this.snapshot = snapshot;
    this.notify();
    for (const message of snapshot.messages) if (before.get(message.id) !== message) this.notifyMessage(message.id);
    for (const id of before.keys()) if (!this.byId.has(id)) this.notifyMessage(id);
  }

  private notifyMessage(id: string): void {
    const listeners = this.messageListeners.get(id);
    if (listeners !== undefined) for (const listener of listeners) listener();
  }

  private nextId(): string {
    return this.options.generateId?.() ?? `${this.idPrefix}${(this.idCount++).toString(36)}`;
  }

  private fromInits(inits: readonly ChatMessageInit[]): ChatMessage[] {
    return inits.map((init) => {
      const id = init.id ?? this.nextId();
      const parts: readonly MessagePart[] =
        init.parts ??
        (init.content === '' ? [] : [{ type: 'text', id: `${id}-text`, text: init.content, state: 'done' }]);
      return { status: 'done', ...init, id, parts };
    });
  }
}

/** Whether a call has what the next step needs from it: its outcome, or an approval the server acts on. */
function isAnswered(part: ToolCallPart): boolean {
  return (
    part.state === 'output-available' ||
    part.state === 'output-error' ||
    part.state === 'denied' ||
    (part.state === 'approved' && part.runsOn === 'server')
  );
}

/** Where a reply's last step begins in its parts (0 for a reply of one step). */
function lastStepStart(parts: readonly MessagePart[]): number {
  let start = parts.length - 1;
  while (start > 0 && parts[start]!.type !== 'step-start') start--;
  return Math.max(start, 0);
}

/** The parts of a reply's last step. */
function lastStep(parts: readonly MessagePart[]): readonly MessagePart[] {
  return parts.slice(lastStepStart(parts));
}

/** The plain text of parts: their text parts, a blank line between steps. */
function plainText(parts: readonly MessagePart[]): string {
  let text = '';
  let separate = false;
  for (const part of parts) {
    if (part.type === 'step-start') separate = text !== '';
    else if (part.type === 'text' && part.text !== '') {
      if (separate) text += '\n\n';
      separate = false;
      text += part.text;
    }
  }
  return text;
}

/** Tools stopped mid-run fail, so the history can go on. */
function stopTools(parts: readonly MessagePart[]): readonly MessagePart[] {
  return parts.map((part) =>
    part.type === 'tool-call' &&
    (part.state === 'input-available' || part.state === 'approved') &&
    part.runsOn !== 'server'
      ? { ...part, state: 'output-error', errorText: 'The tool was stopped.' }
      : part,
  );
}
