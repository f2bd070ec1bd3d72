/**
 * The iterator of `parts` for its only reader, which reads it once: a `TextStream` from
 * `streamText` then lets go of the parts it has handed out, so that a server relaying a long reply
 * holds its text and not every part of it. Any other async iterable ignores the request.
 */
export function readOnce<Part>(parts: AsyncIterable<Part>): AsyncIterator<Part> {
  return (parts as { [Symbol.asyncIterator](once: boolean): AsyncIterator<Part> })[Symbol.asyncIterator](true);
}
