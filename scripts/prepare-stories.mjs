// Copies MSW's service worker into the folder Storybook serves, so stories can mock the network.
// It comes from the installed msw package, so it always matches the library's version.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const worker = join(dirname(require.resolve('msw/package.json')), 'lib', 'mockServiceWorker.js');
mkdirSync(join(root, 'stories', 'public'), { recursive: true });
copyFileSync(worker, join(root, 'stories', 'public', 'mockServiceWorker.js'));
