/** One event to write to an event stream. */
export interface OutgoingServerSentEvent {
  /** The `event:` name; omitted means `message`. */
  type?: string | undefined;
  /** The data; line breaks in it become separate `data:` lines, so any text round-trips. */
  data: string;
  /** The `id:` a client resumes from. */
  id?: string | undefined;
  /** The reconnection time to ask clients for, in milliseconds. */
  retry?: number | undefined;
}

const LINE_BREAK = /\r\n|\r|\n/;
/**
 * What `type` and `id` may not hold. Made once here: a regular expression literal inside the
 * function would be a new object on every call, and this runs for every event sent.
 */
const UNSAFE_FIELD = /[\r\n\0]/;

/**
 * Writes one event in the event-stream format, ending with its blank line. Line breaks in `data`
 * are split into several `data:` lines (a browser joins them back with LF); a line break or NUL
 * in `type` or `id` would corrupt the stream, so it throws instead.
 */
export function formatServerSentEvent(event: OutgoingServerSentEvent): string {
  let text = '';
  if (event.type !== undefined && event.type !== 'message') text += `event: ${checkField('type', event.type)}\n`;
  if (event.id !== undefined) text += `id: ${checkField('id', event.id)}\n`;
  if (event.retry !== undefined) text += `retry: ${Math.max(0, Math.floor(event.retry))}\n`;
  const data = event.data;
  if (LINE_BREAK.test(data)) {
    for (const line of data.split(LINE_BREAK)) text += `data: ${line}\n`;
  } else {
    text += `data: ${data}\n`;
  }
  return text + '\n';
}

function checkField(name: string, value: string): string {
  if (UNSAFE_FIELD.test(value))
    throw new TypeError(`An event ${name} cannot contain a line break or NUL: ${JSON.stringify(value)}`);
  return value;
}
