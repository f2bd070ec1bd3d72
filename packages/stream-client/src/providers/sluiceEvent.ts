import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import type { StreamPart } from './StreamPart.js';

/** A part as one event of the `sluice` protocol: the part's type as the event name, its other fields as JSON data. */
export function sluiceEvent(part: StreamPart, id?: string): OutgoingServerSentEvent {
  const { type, ...fields } = part;
  return { type, data: JSON.stringify(fields), ...(id === undefined ? {} : { id }) };
}
