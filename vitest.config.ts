import { defineConfig } from 'vitest/config';

/** Resolve workspace packages to their TypeScript sources, so tests never read a stale build. */
const sourceFirst = { conditions: ['@sluice/source', 'module', 'node', 'development|production'] };

export default defineConfig({
  resolve: sourceFirst,
  ssr: { resolve: { conditions: sourceFirst.conditions, externalConditions: ['@sluice/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'stream-client',
          root: 'packages/stream-client',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'react',
          root: 'packages/react',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['test-support/mswServer.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          root: 'test',
          include: ['**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
