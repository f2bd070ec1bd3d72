import type { Decorator } from '@storybook/react-vite';

/** The chat stories' decorator: the story in a frame of a fixed size, as a page would give it. */
export const inStoryFrame: Decorator = (Story) => (
  <div className="story-frame">
    <Story />
  </div>
);
