import { StreamError } from '../transport/StreamError.js';
import type { Redact } from './errorEvent.js';

/**
 * Logs a failure on the server, its secrets redacted: a StreamError by its kind and message (the
 * detail the client was not sent), anything else with its stack.
 */
export function reportFailure(source: string, error: unknown, redact: Redact): void {
  let what: string;
  if (error instanceof StreamError) what = `${error.kind}: ${error.message}`;
  else if (error instanceof Error) what = error.stack ?? `${error.name}: ${error.message}`;
  else what = String(error);
  console.error(`${source}: ${redact(what)}`);
}
