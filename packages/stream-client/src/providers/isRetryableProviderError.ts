/**
 * Whether a provider's error type or code names a passing condition (overload, rate limit, a
 * server fault) that the same request may get past later, as opposed to a fault in the request.
 */
export function isRetryableProviderError(type: string | undefined): boolean {
  if (type === undefined) return false;
  return /overloaded|rate_limit|server_error|api_error|internal|timeout|unavailable|capacity/i.test(type);
}
