import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockStream } from '@sluice/stream-client/testing';
import { answer } from '../../test-support/mswServer.js';
import { streamTextQueryOptions } from './streamTextQueryOptions.js';

const url = 'http://api.test/summary';

function Summary() {
  const query = useQuery(
    streamTextQueryOptions({ queryKey: ['summary', 1], url, body: { id: 1 }, provider: 'anthropic' }),
  );
  return (
    <>
      <p>{query.data}</p>
      <output>{query.fetchStatus}</output>
    </>
  );
}

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <Summary />
    </QueryClientProvider>,
  );
  return client;
}

describe('streamTextQueryOptions', () => {
  it('streams the answer into the query cache as it arrives', async () => {
    const text = 'A summary that grows in the cache, token after token.';
    answer(url, () => mockStream(text, { provider: 'anthropic', delayMs: 10 }));
    const client = setup();
    // Part of the text shows while the query is still fetching.
    await waitFor(() => {
      const shown = screen.getByRole('paragraph').textContent ?? '';
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.length).toBeLessThan(text.length);
    });
    expect(screen.getByRole('status').textContent).toBe('fetching');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('idle'));
    expect(client.getQueryData(['summary', 1])).toBe(text);
  });

  it('aborts the request when the query is cancelled', async () => {
    const requests = answer(url, ({ signal }) =>
      mockStream('a long summary that will not finish in time at all', { provider: 'anthropic', delayMs: 30, signal }),
    );
    const client = setup();
    await waitFor(() => expect(screen.getByRole('paragraph').textContent).not.toBe(''));
    await act(() => client.cancelQueries({ queryKey: ['summary', 1] }));
    expect(requests[0]!.signal.aborted).toBe(true);
  });
});
