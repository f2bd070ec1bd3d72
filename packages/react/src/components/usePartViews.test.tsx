import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('./PartViews.js');
  vi.resetModules();
});

it('tries again on the next call when the part views could not be loaded, and never rejects', async () => {
  let attempts = 0;
  vi.doMock('./PartViews.js', async (importOriginal) => {
    attempts++;
    if (attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
    return importOriginal();
  });
  const { loadPartViews } = await import('./usePartViews.js');
  // The failed load resolves: callers run it with `void`, and nothing goes unhandled.
  await expect(loadPartViews()).resolves.toBeUndefined();
  expect(attempts).toBe(1);
  await loadPartViews();
  expect(attempts).toBe(2);
  // Loaded now: later calls load nothing more.
  await loadPartViews();
  expect(attempts).toBe(2);
});
