import { StreamingMessage, useStream } from '@sluice/react';
import { math } from '@sluice/react/math';
import { mermaid } from '@sluice/react/mermaid';
import 'katex/dist/katex.min.css';

// Made once, outside the component: a message reads its plugins when it first renders.
const plugins = [math(), mermaid()];

export function Formulas() {
  const answer = useStream({ url: '/api/chat' });
  return (
    <>
      <button onClick={() => answer.start({ messages: [{ role: 'user', content: 'Derive the variance.' }] })}>
        Derive
      </button>
      <StreamingMessage content={answer.text} streaming={answer.status === 'streaming'} plugins={plugins} />
    </>
  );
}
