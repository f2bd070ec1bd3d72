import { Chat } from '@sluice/react';
import { pacing } from '@sluice/react/pacing';

// Made once, outside the component: a message keeps the plugins it first rendered with.
const plugins = [pacing()];

export function PacedChat() {
  return <Chat url="/api/chat" markdown={{ plugins }} />;
}
