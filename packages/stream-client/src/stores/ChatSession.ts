import type {
  Continuation,
  FinishReason,
  ServerToolCall,
  Source,
  ToolCall,
  ToolRequest,
  Usage,
} from '../providers/StreamPart.js';
import { isStreamId } from '../providers/isStreamId.js';
import { streamText } from '../transport/streamText.js';
import type { StreamTextOptions } from '../transport/streamText.js';
import { StreamError } from '../transport/StreamError.js';
import type { StreamCost, StreamMetrics, StreamResult } from '../transport/StreamResult.js';
import type { TextStream } from '../transport/TextStream.js';
import { buildChatRequestBody } from './buildChatRequestBody.js';
import type { ChatRequest } from './buildChatRequestBody.js';
import { ChatBusyError } from './ChatBusyError.js';
import { createFlushScheduler } from './createFlushScheduler.js';
import type { FlushScheduler, Throttle } from './createFlushScheduler.js';
import { followStream, noLiveParts } from './followStream.js';
import type { LiveParts } from './followStream.js';
import { Subscribable } from './Subscribable.js';
import type { StreamStatus } from './TextStreamStore.js';

/** Who wrote a message. */
export type ChatRole = 'system' | 'user' | 'assistant';

/**
 * Where a message is: `done` (users' messages, and whole replies), `streaming`, `stopped` (the
 * user stopped it; its text stays), or `failed` (its text so far stays, with the error).
 */
export type ChatMessageStatus = 'done' | 'streaming' | 'stopped' | 'failed';

/** One message of a conversation. Immutable: a change makes a new object, and only for that message. */
export interface ChatMessage {
  readonly id: string;
  readonly role: ChatRole;
  readonly content: string;
  readonly status: ChatMessageStatus;
  readonly reasoning?: string;
  readonly toolCalls?: readonly ToolCall[];
  /** Tools the provider ran itself for this reply (web search, code execution...), with their output. */
  readonly serverToolCalls?: readonly ServerToolCall[];
  /** What the model asked the client to do besides calling functions. */
  readonly toolRequests?: readonly ToolRequest[];
  /** The sources the reply cites. */
  readonly sources?: readonly Source[];
  /** What the provider needs to continue from this reply; sent back with the history. */
  readonly continuation?: Continuation;
  /**
   * The stream id a Sluice server gave the reply, once its first event arrives. Keep it when you
   * save the conversation: a reply saved while `streaming` is picked up again by `resume()`.
   */
  readonly streamId?: string;
  readonly error?: StreamError;
  readonly usage?: Usage;
  readonly metrics?: StreamMetrics;
  readonly cost?: StreamCost;
  readonly finishReason?: FinishReason;
}

/** A message to start a conversation with; an id is made for it when it has none. */
export type ChatMessageInit = Pick<ChatMessage, 'role' | 'content'> & Partial<ChatMessage>;

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
  id?: string;
  /**
   * For views (`useChat`, `Chat`): follow the chat's live reply on mount, by calling `resume()`,
   * so a reloaded page or a second tab shows the answer that is streaming. Needs `id`.
   */
  resume?: boolean;
  /** Extra fields of every request body (a model name, temperature...). */
  body?: Record<string, unknown>;
  /** The system prompt, sent with every request in the provider's place for it. */
  system?: string;
  initialMessages?: readonly ChatMessageInit[];
  /** Builds the request body yourself, instead of the provider's message format. */
  prepareBody?(request: ChatRequest): unknown;
  /** How often streaming text is published: once per animation frame (the default), every N ms, or every token. */
  throttle?: Throttle;
  /** Makes message ids. */
  generateId?(): string;
  /** Each piece of reply text as it arrives (not throttled). */
  onToken?(delta: string, text: string): void;
  /** A reply finished whole. */
  onFinish?(message: ChatMessage, result: StreamResult): void;
  /** A reply failed; the message keeps its partial text. */
  onError?(error: StreamError, message: ChatMessage): void;
}

let sessionCount = 0;

/** The header of a request for the chat's live reply: the chat's id, URI-encoded. */
const RESUME_HEADER = 'sluice-resume';
/** The header naming the chat a new message belongs to. */
const CHAT_HEADER = 'sluice-chat';

/**
 * A conversation, for any UI framework: the messages, the state of the latest reply, and the
 * actions. Each message can be subscribed to on its own (`subscribeMessage`), so a view of a long
 * conversation re-renders only the message that is streaming.
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
  private readonly scheduler: FlushScheduler;
  private readonly idPrefix = `m${(sessionCount++).toString(36)}-`;
  private idCount = 0;
  private live: () => LiveParts = noLiveParts;
  /** A reply saved mid-answer that a resumption replaces: shown as it was until the stream catches up. */
  private saved: ChatMessage | undefined;
  /** A resumption asking whether the chat has a live reply, before it has shown anything. */
  private probe: TextStream | undefined;

  /** @param options - the endpoint and provider, the system prompt, initial messages, callbacks */
  constructor(options: ChatSessionOptions) {
    super();
    if (options.resume === true && (options.id === undefined || options.id === '')) {
      throw new TypeError('resume: true needs the chat’s id, to ask the server for its live reply: pass id too.');
    }
    this.options = options;
    this.snapshot = { messages: this.fromInits(options.initialMessages ?? []), status: 'idle', error: undefined };
    this.byId = new Map(this.snapshot.messages.map((message) => [message.id, message]));
    this.scheduler = createFlushScheduler(options.throttle ?? 'frame', this.flush);
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

  /** Whether a reply is on its way. */
  get busy(): boolean {
    return this.stream !== undefined;
  }

  /**
   * Adds the user's message and streams the reply. Resolves when the reply has settled (finished,
   * stopped or failed: a failure is in the state, not thrown). Rejects with a {@link ChatBusyError}
   * while another reply streams, and with a TypeError for empty text.
   */
  readonly send = (content: string): Promise<void> => {
    this.dropProbe();
    if (this.busy) return Promise.reject(new ChatBusyError());
    if (typeof content !== 'string' || content.trim() === '') {
      return Promise.reject(new TypeError('send() needs the text of a message.'));
    }
    const message: ChatMessage = { id: this.nextId(), role: 'user', content, status: 'done' };
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
   * it, and the message keeps its text, marked stopped.
   */
  readonly stop = (): void => {
    this.dropProbe();
    const stream = this.stream;
    const id = this.streamingId;
    if (stream === undefined) return;
    stream.stop();
    const saved = this.saved;
    const live = this.live();
    this.detach();
    if (id !== undefined) {
      const text = stream.text;
      this.replaceMessage(
        id,
        (message) =>
          saved !== undefined && text.length < saved.content.length
            ? { ...message, status: 'stopped' }
            : { ...message, ...liveFields(live), content: text, status: 'stopped' },
        'aborted',
      );
    }
    this.settleNow();
  };

  /**
   * Follows the chat's live reply, if the server has one: for a page that was reloaded mid-answer,
   * or a second tab. A reply saved while `streaming` (the last message) is read again from its
   * first event and completed in place, exactly once; otherwise the chat's live reply, if any, is
   * appended. Resolves when that reply settles, or at once when there is none. Needs `id`, and a
   * Sluice server that keeps replies (`createChatHandler` with `streams`).
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
        const assistant: ChatMessage = { id: this.nextId(), role: 'assistant', content: '', status: 'streaming' };
        this.publishAll({ messages: [...this.snapshot.messages, assistant], status: 'connecting', error: undefined });
        void this.track(stream, assistant.id).then(resolve);
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

  /** Aborts any reply and cancels pending work without publishing: for a view that is going away. */
  dispose(): void {
    this.dropProbe();
    this.detach();
    this.settleNow();
  }

  private reply(history: ChatMessage[]): Promise<void> {
    const assistant: ChatMessage = { id: this.nextId(), role: 'assistant', content: '', status: 'streaming' };
    const requestMessages = history.filter((message) => !(message.role === 'assistant' && message.status === 'failed'));
    const { system, body = {}, prepareBody, id: chatId } = this.options;
    const request: ChatRequest = { messages: requestMessages, body, ...(system === undefined ? {} : { system }) };
    const provider = typeof this.options.provider === 'string' ? this.options.provider : undefined;
    const requestBody = prepareBody === undefined ? buildChatRequestBody(request, provider) : prepareBody(request);
    const transport = this.transportOptions();
    if (chatId !== undefined && chatId !== '') {
      const headers = new Headers(transport.headers as ConstructorParameters<typeof Headers>[0]);
      headers.set(CHAT_HEADER, encodeURIComponent(chatId));
      transport.headers = headers;
    }
    const stream = streamText({ ...transport, body: requestBody });
    this.publishAll({ messages: [...history, assistant], status: 'connecting', error: undefined });
    return this.track(stream, assistant.id);
  }

  /**
   * Shows a stream in a message until it settles. `saved` is the message as saved mid-answer,
   * which the stream replays from its start: it stays shown until the stream has caught up, and
   * is kept if the stream fails sooner. `noReply` says the server had no reply to give.
   */
  private track(stream: TextStream, id: string, saved?: ChatMessage, noReply?: () => boolean): Promise<void> {
    this.stream = stream;
    this.streamingId = id;
    this.saved = saved;
    this.live = followStream(
      stream,
      () => this.stream === stream,
      (delta, text) => this.options.onToken?.(delta, text),
      this.scheduler.request,
    );
    stream.on('part', (part) => {
      // Known from the reply's first event: saved with the message, it lets a reload pick the reply up.
      if (part.type === 'sluice' && this.stream === stream) this.setStreamId(id, part.streamId);
    });
    const settled = new Promise<void>((resolve) => (this.settle = resolve));
    stream.result().then(
      (result) => {
        if (this.stream !== stream) return;
        this.detach();
        const message = this.replaceMessage(
          id,
          (current) => ({ ...current, ...fromResult(result), status: 'done' }),
          'done',
        );
        this.settleNow();
        if (message !== undefined) this.options.onFinish?.(message, result);
      },
      (error: unknown) => {
        if (this.stream !== stream) return;
        this.detach();
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
          streamError !== undefined && (saved === undefined || streamError.partial.text.length >= saved.content.length)
            ? fromResult(streamError.partial)
            : {};
        if (streamError?.kind === 'aborted') {
          // Stopped elsewhere (another tab pressed Stop): stopped here too, not failed.
          this.replaceMessage(id, (current) => ({ ...current, ...arrived, status: 'stopped' }), 'aborted');
          this.settleNow();
          return;
        }
        const message = this.replaceMessage(
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
        if (streamError !== undefined && message !== undefined) this.options.onError?.(streamError, message);
      },
    );
    return settled;
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
      ...transport
    } = this.options;
    return transport;
  }

  private setStreamId(id: string, streamId: string): void {
    if (this.byId.get(id)?.streamId === streamId) return;
    this.replaceMessage(id, (message) => ({ ...message, streamId }), this.snapshot.status);
  }

  private readonly flush = (): void => {
    const stream = this.stream;
    const id = this.streamingId;
    if (stream === undefined || id === undefined) return;
    const text = stream.text;
    if (this.saved !== undefined) {
      // Replaying a saved reply: no going back to shorter text while it catches up.
      if (text.length < this.saved.content.length) return;
      this.saved = undefined;
    }
    this.replaceMessage(id, (message) => ({ ...message, ...liveFields(this.live()), content: text }), 'streaming');
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
    return inits.map((init) => ({ status: 'done', ...init, id: init.id ?? this.nextId() }));
  }
}

function fromResult(result: StreamResult): Partial<ChatMessage> & { content: string } {
  return {
    content: result.text,
    ...(result.reasoning === '' ? {} : { reasoning: result.reasoning }),
    ...(result.toolCalls.length === 0 ? {} : { toolCalls: result.toolCalls }),
    ...(result.serverToolCalls.length === 0 ? {} : { serverToolCalls: result.serverToolCalls }),
    ...(result.toolRequests.length === 0 ? {} : { toolRequests: result.toolRequests }),
    ...(result.sources.length === 0 ? {} : { sources: result.sources }),
    ...(result.continuation === undefined ? {} : { continuation: result.continuation }),
    ...(result.usage === undefined ? {} : { usage: result.usage }),
    ...(result.cost === undefined ? {} : { cost: result.cost }),
    ...(result.finishReason === undefined ? {} : { finishReason: result.finishReason }),
    metrics: result.metrics,
  };
}

/** The live parts as message fields, leaving out what has not arrived. */
function liveFields(live: LiveParts): Pick<ChatMessage, 'reasoning' | 'toolCalls'> {
  return {
    ...(live.reasoning === '' ? {} : { reasoning: live.reasoning }),
    ...(live.toolCalls.length === 0 ? {} : { toolCalls: live.toolCalls }),
  };
}
