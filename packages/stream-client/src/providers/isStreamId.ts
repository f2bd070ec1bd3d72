/** What a stream id may be: it goes back to the server in `Last-Event-ID` and `sluice-stop` headers. */
const STREAM_ID = /^[\x21-\x7e]{1,256}$/;

/**
 * Whether a value can be a reply's stream id in the `sluice` protocol: 1 to 256 visible ASCII
 * characters, so that it travels unchanged in the headers a client resumes and stops it with.
 */
export function isStreamId(value: unknown): value is string {
  return typeof value === 'string' && STREAM_ID.test(value);
}
