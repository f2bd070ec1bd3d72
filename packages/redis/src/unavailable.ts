import { ReplyStoreError } from '@sluice/stream-client/server';

/** The error for Redis being unreachable, with what went wrong as its cause. */
export function unavailable(error: unknown): ReplyStoreError {
  const why = error instanceof Error ? error.message : String(error);
  return new ReplyStoreError('unavailable', `Redis is unreachable: ${why}`, { cause: error });
}
