import { Chat } from '@sluice/react';
import { highlight } from '@sluice/react/highlight';
import { math } from '@sluice/react/math';
import { mermaid } from '@sluice/react/mermaid';
import { pacing } from '@sluice/react/pacing';
import '@sluice/react/styles.css';
import 'katex/dist/katex.min.css';

// Made once, outside the component: a message keeps the plugins it first rendered with.
const plugins = [highlight(), math(), mermaid(), pacing()];

export function RichChat() {
  return <Chat url="/api/chat" markdown={{ plugins }} />;
}
