/** Workspace packages resolve to their TypeScript sources in the browser, as in the unit tests. */
export const browserResolve = { conditions: ['@sluice/source', 'module', 'browser', 'development|production'] };

/**
 * Dependencies the stories import, pre-bundled up front: otherwise Vite discovers them during the
 * first run and reloads the page in the middle of a test.
 */
export const prebundled = [
  'react',
  'react-dom',
  'react-dom/client',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  '@sluice/react > marked',
  '@sluice/react > katex',
  '@sluice/react > mermaid',
  // The highlight plugin's shiki: its core, engine, and the grammar and themes the stories use.
  '@sluice/react > shiki/core',
  '@sluice/react > shiki/engine/javascript',
  '@sluice/react > shiki/langs/typescript.mjs',
  '@sluice/react > shiki/themes/github-light-default.mjs',
  '@sluice/react > shiki/themes/github-dark-default.mjs',
  'msw',
  'msw/browser',
  'msw-storybook-addon/csf3',
  '@tanstack/react-query',
  'storybook/test',
];
