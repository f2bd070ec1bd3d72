import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { StreamingMessage } from '@sluice/react';
import { streamTextQueryOptions } from '@sluice/react/query';
import { mockStream } from '@sluice/stream-client/testing';
import { shortAnswer } from './support/answers.js';
import { sse } from './support/sse.js';

function Summary() {
  const query = useQuery(streamTextQueryOptions({ queryKey: ['summary'], url: '/api/summary', provider: 'anthropic' }));
  return (
    <div>
      <p>
        Fetch status: <output>{query.fetchStatus}</output>
      </p>
      <button type="button" onClick={() => void query.refetch()}>
        Refetch
      </button>
      <StreamingMessage content={query.data ?? ''} streaming={query.fetchStatus === 'fetching'} />
    </div>
  );
}

function WithClient() {
  const [client] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={client}>
      <Summary />
    </QueryClientProvider>
  );
}

const meta = { title: 'Integrations/TanStack Query', component: WithClient } satisfies Meta<typeof WithClient>;
export default meta;

export const StreamedQuery: StoryObj<typeof meta> = {
  beforeEach({ msw }) {
    msw.use(sse('/api/summary', () => mockStream(shortAnswer, { provider: 'anthropic', delayMs: 10 })));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getByRole('status').textContent).toBe('fetching'));
    await waitFor(() => expect(canvas.getByRole('status').textContent).toBe('idle'), { timeout: 8000 });
    await expect(canvas.getByRole('heading', { name: 'Server-Sent Events' })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Refetch' }));
    await waitFor(() => expect(canvas.getByRole('status').textContent).toBe('fetching'));
    await waitFor(() => expect(canvas.getByRole('status').textContent).toBe('idle'), { timeout: 8000 });
    await expect(canvas.getAllByRole('heading', { name: 'Server-Sent Events' })).toHaveLength(1);
  },
};
