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
