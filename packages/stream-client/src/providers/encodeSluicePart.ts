import { formatServerSentEvent } from '../sse/formatServerSentEvent.js';
import type { StreamPart } from './StreamPart.js';

/** Writes a part as one event of the `sluice` protocol: the part's type as the event name, its other fields as JSON data. */
export function encodeSluicePart(part: StreamPart, id?: string): string {
  const { type, ...fields } = part;
  return formatServerSentEvent({ type, data: JSON.stringify(fields), ...(id === undefined ? {} : { id }) });
}
