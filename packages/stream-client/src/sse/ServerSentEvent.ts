/**
 * One dispatched Server-Sent Event, shaped like the browser's `MessageEvent` for an `EventSource`.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#dispatchMessage
 */
export interface ServerSentEvent {
  /** The `event:` field, or `"message"` when the event gave none or an empty one. */
  type: string;
  /** The `data:` lines joined with LF, without the final LF. Never `undefined`: an event without data is not dispatched. */
  data: string;
  /**
   * The last event ID at dispatch time. It persists across events until an `id:` line changes it,
   * so an event without its own `id:` carries the previous one (or `""`).
   */
  lastEventId: string;
}
