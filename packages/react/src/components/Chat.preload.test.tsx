import { render, waitFor } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('../markdown/openBlockAfter.js');
  vi.resetModules();
});

it('loads the follower of a long streaming block as it mounts, before any reply needs it', async () => {
  // A fresh copy of the modules: nothing loaded by an earlier test.
  let loads = 0;
  vi.doMock('../markdown/openBlockAfter.js', async (importOriginal) => {
    loads++;
    return importOriginal();
  });
  const { Chat } = await import('./Chat.js');
  render(<Chat url="/api/chat" />);
  // No message was sent: a first reply then streams without waiting for this code.
  await waitFor(() => expect(loads).toBe(1));
});
