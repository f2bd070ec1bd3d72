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
  'msw',
  'msw/browser',
  'msw-storybook-addon/csf3',
  '@tanstack/react-query',
  'storybook/test',
];
