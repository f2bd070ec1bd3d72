import { defineConfig } from 'vitest/config';

/** `pnpm bench`: every package's benchmarks, against their sources, in one run. */
export default defineConfig({
  // The production JSX runtime, to match React's production build below.
  oxc: { jsx: { development: false } },
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
    // Measure what users ship: React's production build, not the development one tests use.
    env: { NODE_ENV: 'production' },
    benchmark: { include: ['packages/*/bench/**/*.bench.{ts,tsx}'] },
  },
});
