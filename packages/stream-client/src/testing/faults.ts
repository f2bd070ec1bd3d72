import type { ProviderFormat } from '../providers/Decoder.js';
import { formatServerSentEvent } from '../sse/formatServerSentEvent.js';

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

/** The event a provider sends to report an error mid-stream, in its own shape. */
export function providerErrorEvent(provider: ProviderFormat, message = 'Overloaded', errorType?: string): string {
  switch (provider) {
    case 'openai':
      return formatServerSentEvent({
        data: JSON.stringify({ error: { message, type: errorType ?? 'server_error', code: null } }),
      });
    case 'anthropic':
      return formatServerSentEvent({
        type: 'error',
        data: JSON.stringify({ type: 'error', error: { type: errorType ?? 'overloaded_error', message } }),
      });
    case 'openai-responses':
      return formatServerSentEvent({
        type: 'error',
        data: JSON.stringify({ type: 'error', code: errorType ?? 'server_error', message, param: null }),
      });
    case 'sluice':
      return formatServerSentEvent({
        type: 'error',
        data: JSON.stringify({ message, errorType: errorType ?? 'overloaded', retryable: true }),
      });
    default:
      throw new TypeError(`Unknown provider ${JSON.stringify(provider)}.`);
  }
}

/** A 429 response asking the client to wait, as rate limiters send it. */
export function rateLimitedResponse(
  options: { retryAfterSeconds?: number; retryAfterMs?: number; message?: string } = {},
): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
  const body = {
    error: { message: options.message ?? 'Rate limit reached. Please try again later.', type: 'rate_limit_error' },
  };
  return new Response(JSON.stringify(body), { status: 429, headers });
}

/** A 200 that is not an event stream: the login page a proxy serves instead of the answer. */
export function htmlResponse(
  html = '<!doctype html><title>Sign in</title><h1>Please sign in to continue</h1>',
): Response {
  return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
}
