import { defineConfig } from 'vitest/config';

/** `pnpm bench`: every package's benchmarks, against their sources, in one run. */
export default defineConfig({
  resolve: { conditions: ['@sluice/source', 'module', 'node', 'development|production'] },
  ssr: {
    resolve: {
      conditions: ['@sluice/source', 'module', 'node', 'development|production'],
      externalConditions: ['@sluice/source'],
    },
  },
  test: {
    include: ['packages/*/bench/**/*.bench.{ts,tsx}'],
    environment: 'node',
    benchmark: { include: ['packages/*/bench/**/*.bench.{ts,tsx}'] },
  },
});
