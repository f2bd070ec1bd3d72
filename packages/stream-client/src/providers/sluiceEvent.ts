import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import type { StreamPart } from './StreamPart.js';

/** A part as one event of the `sluice` protocol: the part's type as the event name, its other fields as JSON data. */
export function sluiceEvent(part: StreamPart, id?: string): OutgoingServerSentEvent {
  const { type, ...fields } = part;
  // No spread into the result: every event the server sends is made here, so all share one shape.
  const event: OutgoingServerSentEvent = { type, data: JSON.stringify(fields) };
  if (id !== undefined) event.id = id;
  return event;
}
