import type { FinishReason, ToolCall, Usage } from '../providers/StreamPart.js';
import { streamText } from '../transport/streamText.js';
import type { StreamTextOptions } from '../transport/streamText.js';
import { StreamError } from '../transport/StreamError.js';
import type { StreamCost, StreamMetrics, StreamResult } from '../transport/StreamResult.js';
import type { TextStream } from '../transport/TextStream.js';
import { createFlushScheduler } from './createFlushScheduler.js';
import type { FlushScheduler, Throttle } from './createFlushScheduler.js';
import { followStream, noLiveParts } from './followStream.js';
import type { LiveParts } from './followStream.js';
import { Subscribable } from './Subscribable.js';

/** Where a stream is in its life. */
export type StreamStatus = 'idle' | 'connecting' | 'streaming' | 'done' | 'error' | 'aborted';

/** What a {@link TextStreamStore} holds: replaced as a whole, and only when something changed. */
export interface TextStreamSnapshot {
  readonly status: StreamStatus;
  /** The answer so far; kept when the stream stops or fails. */
  readonly text: string;
  readonly reasoning: string;
  readonly error: StreamError | undefined;
  readonly usage: Usage | undefined;
  readonly finishReason: FinishReason | undefined;
  readonly metrics: StreamMetrics | undefined;
  readonly cost: StreamCost | undefined;
  readonly toolCalls: readonly ToolCall[];
}

/** Options of a {@link TextStreamStore}: a request, how often to publish, and callbacks. */
export interface TextStreamStoreOptions extends Omit<StreamTextOptions, 'signal'> {
  /** How often streaming text is published: once per animation frame (the default), every N ms, or every token (`false`). */
  throttle?: Throttle | undefined;
  /** Each piece of text as it arrives (not throttled), with the text so far. */
  onToken?: ((delta: string, text: string) => void) | undefined;
  /** The whole result, when the stream finishes. */
  onFinish?: ((result: StreamResult) => void) | undefined;
  /** The failure, when the stream fails (not when it is stopped). */
  onError?: ((error: StreamError) => void) | undefined;
}

const IDLE: TextStreamSnapshot = Object.freeze({
  status: 'idle',
  text: '',
  reasoning: '',
  error: undefined,
  usage: undefined,
  finishReason: undefined,
  metrics: undefined,
  cost: undefined,
  toolCalls: Object.freeze([]) as readonly ToolCall[],
});

/**
 * The state of one streamed answer, for any UI framework: `subscribe` and `getSnapshot` for the
 * view, `start`, `stop`, `retry` and `reset` for the user. Bursts of tokens are coalesced into one
 * published snapshot per frame; the final text is published together with the terminal status.
 * Callbacks are read from the latest options at the moment they fire, so replacing them never
 * restarts a stream.
 */
export class TextStreamStore extends Subscribable {
  private options: TextStreamStoreOptions;
  private snapshot: TextStreamSnapshot = IDLE;
  private stream: TextStream | undefined;
  private lastBody: unknown;
  private readonly scheduler: FlushScheduler;
  private live: () => LiveParts = noLiveParts;

  /** @param options - the request to make on `start`, the throttle, and callbacks */
  constructor(options: TextStreamStoreOptions) {
    super();
    this.options = options;
    this.lastBody = options.body;
    this.scheduler = createFlushScheduler(options.throttle ?? 'frame', this.flush);
  }

  /** Replaces the options; a stream in flight keeps its request, and uses the new callbacks at once. */
  setOptions(options: TextStreamStoreOptions): void {
    this.options = options;
    this.scheduler.setThrottle(options.throttle ?? 'frame');
  }

  /** The current snapshot; the same object until something changes. */
  readonly getSnapshot = (): TextStreamSnapshot => this.snapshot;

  /** The snapshot for server rendering: always idle. */
  readonly getServerSnapshot = (): TextStreamSnapshot => IDLE;

  /** Starts a stream (aborting one in flight), with `body` or else the options' body. */
  readonly start = (body?: unknown): void => {
    this.abortCurrent();
    this.lastBody = body === undefined ? this.options.body : body;
    const { throttle: _throttle, onToken: _onToken, onFinish: _onFinish, onError: _onError, ...request } = this.options;
    const stream = streamText({ ...request, ...(this.lastBody === undefined ? {} : { body: this.lastBody }) });
    this.stream = stream;
    this.publish({ ...IDLE, status: 'connecting' });
    // Reasoning and tool calls show as they come too, at the same pace as text.
    this.live = followStream(
      stream,
      () => this.stream === stream,
      (delta, text) => this.options.onToken?.(delta, text),
      this.scheduler.request,
    );
    stream.result().then(
      (result) => {
        if (this.stream !== stream) return;
        this.stream = undefined;
        this.scheduler.cancel();
        this.publish(fromResult('done', result, undefined));
        this.options.onFinish?.(result);
      },
      (error: unknown) => {
        if (this.stream !== stream) return;
        this.stream = undefined;
        this.scheduler.cancel();
        const streamError = error instanceof StreamError ? error : undefined;
        const partial = streamError?.partial;
        this.publish(
          partial === undefined
            ? { ...this.snapshot, status: 'error', error: streamError }
            : fromResult('error', partial, streamError),
        );
        if (streamError !== undefined) this.options.onError?.(streamError);
      },
    );
  };

  /**
   * Stops the stream: the connection closes, a server that keeps replies is told to stop generating
   * it, the text received so far stays, and the status becomes `aborted`.
   */
  readonly stop = (): void => {
    const stream = this.stream;
    if (stream === undefined) return;
    stream.stop();
    this.abortCurrent();
    this.publish({ ...this.snapshot, status: 'aborted', text: stream.text });
    // The partial result (metrics, tool calls) arrives with the rejection; it keeps the status.
    stream.result().catch((error: unknown) => {
      if (this.stream !== undefined || this.snapshot.status !== 'aborted' || !(error instanceof StreamError)) return;
      this.publish(fromResult('aborted', error.partial, undefined));
    });
  };

  /** Starts again with the body of the last start. */
  readonly retry = (): void => {
    this.start(this.lastBody);
  };

  /** Stops any stream and forgets everything: back to idle. */
  readonly reset = (): void => {
    this.stream?.stop();
    this.abortCurrent();
    this.publish(IDLE);
  };

  /** Aborts any stream and cancels pending work, without publishing: for a view that is going away. */
  dispose(): void {
    this.abortCurrent();
  }

  private abortCurrent(): void {
    const stream = this.stream;
    this.stream = undefined;
    this.scheduler.cancel();
    stream?.abort();
  }

  private readonly flush = (): void => {
    const stream = this.stream;
    if (stream === undefined) return;
    this.publish({ ...this.snapshot, status: 'streaming', text: stream.text, ...this.live() });
  };

  private publish(snapshot: TextStreamSnapshot): void {
    this.snapshot = snapshot;
    this.notify();
  }
}

function fromResult(status: StreamStatus, result: StreamResult, error: StreamError | undefined): TextStreamSnapshot {
  return {
    status,
    text: result.text,
    reasoning: result.reasoning,
    error,
    usage: result.usage,
    finishReason: result.finishReason,
    metrics: result.metrics,
    cost: result.cost,
    toolCalls: result.toolCalls,
  };
}
