/** A fault to inject into a mocked stream, after a number of events. */
export type StreamFault =
  /** The provider reports an error inside the stream (overloaded, by default), then the stream ends. */
  | { kind: 'error-event'; afterEvents: number; message?: string; errorType?: string }
  /** The stream goes silent and never ends: for idle and first-token timeouts. */
  | { kind: 'stall'; afterEvents: number }
  /** The connection drops: the body errors as a network failure would. */
  | { kind: 'drop'; afterEvents: number }
  /** The stream closes cleanly but early, without its terminal signal. */
  | { kind: 'truncate'; afterEvents: number };
