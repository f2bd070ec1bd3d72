import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { browserResolve, prebundled } from './.storybook/viteShared.js';
import { vitestChromium } from './test/support/vitestChromium.js';

/** Resolve workspace packages to their TypeScript sources, so tests never read a stale build. */
const sourceFirst = { conditions: ['@sluice/source', 'module', 'node', 'development|production'] };

/** The React suite: run once as it is (React 19) and once with React 18 swapped in. */
const reactTests = {
  root: 'packages/react',
  include: ['src/**/*.test.{ts,tsx}'],
  environment: 'jsdom',
  setupFiles: ['test-support/mswServer.ts'],
};

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
          include: ['src/**/*.test.ts', 'fuzz/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Against a redis-server of each file's own (Debian's redis-server; .ci/run installs it).
        extends: true,
        test: {
          name: 'redis',
          root: 'packages/redis',
          include: ['src/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['../../test/support/redisServerCheck.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'react',
          ...reactTests,
        },
      },
      {
        // The same React tests against React 18, installed (with the libraries that render through
        // it) in test/react-18: both majors are supported peers.
        extends: true,
        resolve: {
          alias: ['react', 'react-dom', '@testing-library/react', '@tanstack/react-query'].map((name) => ({
            find: new RegExp(`^${name.replace('/', '\\/')}(?=$|/)`),
            replacement: fileURLToPath(new URL(`./test/react-18/node_modules/${name}`, import.meta.url)),
          })),
        },
        test: {
          name: 'react-18',
          ...reactTests,
        },
      },
      {
        // Every story is a test, run in the Debian Chromium: no test tool downloads a browser.
        plugins: [storybookTest({ configDir: '.storybook' })],
        resolve: browserResolve,
        optimizeDeps: { include: prebundled },
        test: {
          name: 'storybook',
          // Before anything loads react-dom, so that React reports its commits to the counter.
          setupFiles: ['./.storybook/renderCounts.ts'],
          // Generous: a cold Vite and the other projects share two cores with these stories in a full run.
          testTimeout: 90_000,
          browser: vitestChromium,
        },
      },
      {
        // Type tests of the public API: expectTypeOf checked by the compiler, nothing run.
        extends: true,
        test: {
          name: 'types',
          include: ['packages/*/src/**/*.test-d.{ts,tsx}'],
          typecheck: {
            enabled: true,
            only: true,
            include: ['packages/*/src/**/*.test-d.{ts,tsx}'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          root: 'test',
          include: ['**/*.test.ts'],
          environment: 'node',
          // Some of these run on Redis: without redis-server, one sentence says so.
          globalSetup: ['support/redisServerCheck.ts'],
        },
      },
    ],
  },
});
