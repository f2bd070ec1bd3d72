import type { StorybookConfig } from '@storybook/react-vite';
import { browserResolve, prebundled } from './viteShared.js';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  // MSW's service worker, copied here by scripts/prepare-stories.mjs.
  staticDirs: ['../stories/public'],
  core: { disableTelemetry: true },
  // The render counter must be installed before react-dom loads: a module script ahead of Storybook's own.
  previewHead: (head) => `${head}<script type="module" src="/.storybook/renderCounts.ts"></script>`,
  viteFinal(viteConfig) {
    viteConfig.resolve = { ...viteConfig.resolve, conditions: browserResolve.conditions };
    viteConfig.optimizeDeps = {
      ...viteConfig.optimizeDeps,
      include: [...(viteConfig.optimizeDeps?.include ?? []), ...prebundled],
    };
    return viteConfig;
  },
};

export default config;
