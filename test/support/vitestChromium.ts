import { playwright } from '@vitest/browser-playwright';
import { chromiumLaunchOptions } from './chromium.js';

/** Vitest's browser mode in the system Chromium (see chromium.ts), headless: the stories' tests and the browser benchmark. */
export const vitestChromium = {
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: chromiumLaunchOptions }),
  instances: [{ browser: 'chromium' as const }],
};
