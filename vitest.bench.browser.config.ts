import { defineConfig } from 'vitest/config';
import { vitestChromium } from './test/support/vitestChromium.js';

/**
 * `pnpm bench:browser`: what a person's browser does with a chat, measured in the system Chromium
 * with React's production build. It prints figures; it asserts no times (the machines are shared).
 */
export default defineConfig({
  oxc: { jsx: { development: false } },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  resolve: { conditions: ['@sluice/source', 'module', 'browser', 'production'] },
  optimizeDeps: {
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-runtime',
      '@sluice/react > marked',
      '@sluice/react > shiki/core',
      '@sluice/react > shiki/engine/javascript',
      '@sluice/react > shiki/langs/typescript.mjs',
      '@sluice/react > shiki/themes/github-light-default.mjs',
      '@sluice/react > shiki/themes/github-dark-default.mjs',
    ],
  },
  test: {
    include: ['bench/browser/**/*.browser-bench.tsx'],
    testTimeout: 900_000,
    browser: vitestChromium,
  },
});
