import { isRetryableStatus, retryAfterMs } from './retryPolicy.js';
import type { StreamErrorKind } from './StreamError.js';

/** How much of an error body is read for its message: enough for any JSON error, never a whole page. */
const ERROR_BODY_LIMIT = 16 * 1024;

/** Why a response that is no event stream is refused, and what it said. */
export interface RefusedResponse {
  kind: StreamErrorKind;
  retryable: boolean;
  message: string;
  status?: number | undefined;
  providerErrorType?: string | undefined;
  retryAfterMs?: number | undefined;
}

/**
 * The failure for a response that cannot be read as a stream: an HTTP error status (with the
 * server's own message when its body is a JSON error), or a 200 that is not an event stream (a
 * login page, a JSON error). Only a page's title is ever kept, never its markup. Loaded on the
 * first such response: the error path is code a working stream never needs.
 */
export async function refusedResponse(response: Response): Promise<RefusedResponse> {
  if (!response.ok) return httpFailure(response);
  const contentType = response.headers.get('content-type') ?? '';
  const excerpt = describeBody(await readBodyExcerpt(response), contentType, 200);
  return {
    kind: 'protocol',
    retryable: false,
    message: `Expected an event stream (text/event-stream) but the server sent ${contentType || 'no content type'}${excerpt ? `: ${excerpt}` : ''}.`,
  };
}

async function readBodyExcerpt(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < ERROR_BODY_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The excerpt only decorates the message; a body that fails to read leaves it shorter.
  } finally {
    reader.cancel().catch(() => {});
  }
  return text;
}

/**
 * The failure for an HTTP error status, with the server's own message when its body is a JSON
 * error (`{"error": {"message", "type" or "code", "retryable"}}`, or `{"error": "..."}`, or
 * `{"message": "..."}`): fields of the wrong type are ignored, never coerced. A body that is an
 * HTML page lends only its title, never its markup.
 */
async function httpFailure(response: Response): Promise<RefusedResponse> {
  const body = await readBodyExcerpt(response);
  let detail = describeBody(body, response.headers.get('content-type') ?? '', 300);
  let providerErrorType: string | undefined;
  let retryable = isRetryableStatus(response.status);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON: the description of the body stands as the detail.
  }
  if (parsed !== null && typeof parsed === 'object') {
    const { error, message } = parsed as { error?: unknown; message?: unknown };
    if (error !== null && typeof error === 'object') {
      const fields = error as { message?: unknown; type?: unknown; code?: unknown; retryable?: unknown };
      if (typeof fields.message === 'string') detail = fields.message;
      const type = typeof fields.type === 'string' ? fields.type : fields.code;
      if (typeof type === 'string' || typeof type === 'number') providerErrorType = String(type);
      // A Sluice server says whether trying again can help (a missing API key cannot be retried away).
      if (typeof fields.retryable === 'boolean') retryable = fields.retryable;
    } else if (typeof error === 'string') {
      detail = error;
    } else if (typeof message === 'string') {
      detail = message;
    }
  }
  const status = response.status;
  const wait = retryAfterMs(response.headers);
  return {
    kind: 'http',
    retryable,
    message: `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}${detail ? `: ${detail}` : ''}`,
    status,
    ...(providerErrorType === undefined ? {} : { providerErrorType }),
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  };
}

/**
 * A body as a short detail for a message: its text with whitespace collapsed, or for an HTML page
 * (an error page, a login page) only its title, so no markup or server paths reach a person.
 */
function describeBody(body: string, contentType: string, limit: number): string {
  const text = body.trim();
  if (/html/i.test(contentType) || /^<(!doctype|html|head|body)\b/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim() ?? '';
    return title === '' ? 'an HTML page' : `an HTML page titled "${title.slice(0, 100)}"`;
  }
  return text.replace(/\s+/g, ' ').slice(0, limit);
}
