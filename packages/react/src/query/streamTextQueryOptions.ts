import { experimental_streamedQuery as streamedQuery, queryOptions } from '@tanstack/react-query';
import type { QueryKey } from '@tanstack/react-query';
import { streamText, textDeltas } from '@sluice/stream-client';
import type { StreamTextOptions } from '@sluice/stream-client';

/** Options of {@link streamTextQueryOptions}: a query key, `streamText`'s options, and the refetch mode. */
export interface StreamTextQueryOptions<Key extends QueryKey> extends Omit<StreamTextOptions, 'signal'> {
  queryKey: Key;
  /**
   * What a refetch does with the text already cached: `'reset'` (the default) clears it and
   * streams anew; `'append'` streams the new answer after the old text; `'replace'` keeps showing
   * the old text and swaps in the new one only when it is complete.
   */
  refetchMode?: 'reset' | 'append' | 'replace' | undefined;
}

/**
 * Query options that stream an answer into TanStack Query's cache with `streamedQuery`:
 * `useQuery(streamTextQueryOptions(...)).data` is the text so far, growing as tokens arrive.
 * Cancelling the query (unmounting every observer, `queryClient.cancelQueries`) aborts the request.
 *
 * @example
 * ```tsx
 * const { data: text = '', fetchStatus } = useQuery(
 *   streamTextQueryOptions({ queryKey: ['summary', id], url: '/api/summary', body: { id } }),
 * );
 * ```
 */
export function streamTextQueryOptions<Key extends QueryKey>({
  queryKey,
  refetchMode = 'reset',
  ...options
}: StreamTextQueryOptions<Key>) {
  return queryOptions({
    queryKey,
    queryFn: streamedQuery<string, string, Key>({
      streamFn: ({ signal }) => textDeltas(streamText({ ...options, signal })),
      reducer: (text, delta) => text + delta,
      initialValue: '',
      refetchMode,
    }),
  });
}
