/** A 200 that is not an event stream: the login page a proxy serves instead of the answer. */
export function htmlResponse(
  html = '<!doctype html><title>Sign in</title><h1>Please sign in to continue</h1>',
): Response {
  return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
}
