import { useQuery } from '@tanstack/react-query';
import { streamTextQueryOptions } from '@sluice/react/query';

export function Summary({ id }: { id: string }) {
  const { data: text = '', fetchStatus } = useQuery(
    streamTextQueryOptions({
      queryKey: ['summary', id],
      url: '/api/chat',
      body: { messages: [{ role: 'user', content: `Summarise document ${id}.` }] },
      refetchMode: 'reset',
    }),
  );
  return <p aria-busy={fetchStatus === 'fetching'}>{text}</p>;
}
