import type { Preview } from '@storybook/react-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';
import '../packages/react/styles.css';
import './preview.css';

const preview: Preview = {
  // Starts MSW's service worker before any story renders; stories add handlers in beforeEach.
  loaders: [mswLoader()],
  parameters: { layout: 'padded' },
};

export default preview;
