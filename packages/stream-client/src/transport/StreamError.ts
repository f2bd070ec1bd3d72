import type { StreamResult } from './StreamResult.js';

/** What kind of failure ended a stream. */
export type StreamErrorKind =
  /** The server answered with an HTTP error status. */
  | 'http'
  /** The connection failed or dropped. */
  | 'network'
  /** No bytes for `idleTimeoutMs`, or no content token for `firstTokenTimeoutMs`. */
  | 'timeout'
  /** The caller aborted, by `signal` or `abort()`. */
  | 'aborted'
  /** The provider reported an error inside the stream. */
  | 'provider'
  /** The response was not a well-formed event stream of the expected format. */
  | 'protocol'
  /** The stream closed cleanly but without its format's terminal signal: the answer was cut short. */
  | 'truncated'
  /**
   * A resumed connection delivered a different reply (another stream, or the same reply begun
   * again), so nothing of it was appended to what had arrived.
   */
  | 'restarted'
  /** The server no longer has the reply being resumed (it expired, or the server was restarted). */
  | 'gone';

/** The fields of a {@link StreamError} besides its message. */
export interface StreamErrorDetails {
  kind: StreamErrorKind;
  retryable: boolean;
  partial: StreamResult;
  status?: number | undefined;
  providerErrorType?: string | undefined;
  retryAfterMs?: number | undefined;
  /** Whether a relay server reported the failure, which happened between it and its provider. */
  relayed?: boolean | undefined;
  cause?: unknown | undefined;
}

/**
 * Why a stream failed, with everything it delivered before failing in `partial`, so text already
 * shown never has to be thrown away.
 */
export class StreamError extends Error {
  override readonly name = 'StreamError';
  /** What kind of failure it was, for code to branch on. */
  readonly kind: StreamErrorKind;
  /** Whether making the same request again may succeed (overload, rate limit, network, timeout). */
  readonly retryable: boolean;
  /** Everything received before the failure. */
  readonly partial: StreamResult;
  /** The HTTP status, for kind `http`. */
  readonly status: number | undefined;
  /** The provider's error type or code (`overloaded_error`, `rate_limit_exceeded`...), when it gave one. */
  readonly providerErrorType: string | undefined;
  /** How long the server asked the client to wait (`Retry-After`), when it did. */
  readonly retryAfterMs: number | undefined;
  /**
   * True when a Sluice server relayed this failure from its own upstream (the provider): the
   * `kind`, `status` and `providerErrorType` describe that hop, and the server has already made
   * its retries. False when it happened between this client and the server it called.
   */
  readonly relayed: boolean;

  /**
   * @param message - what went wrong, with its technical detail, for logs and a "details" view
   *   (`describeStreamError` gives the plain sentence to show a person)
   * @param details - the kind, the partial result and the rest
   */
  constructor(message: string, details: StreamErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.retryable = details.retryable;
    this.partial = details.partial;
    this.status = details.status;
    this.providerErrorType = details.providerErrorType;
    this.retryAfterMs = details.retryAfterMs;
    this.relayed = details.relayed ?? false;
  }
}
