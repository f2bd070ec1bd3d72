import { StreamingMessage, useStream } from '@sluice/react';

export function Explain() {
  const answer = useStream({ url: '/api/chat' });
  return (
    <>
      <button onClick={() => answer.start({ messages: [{ role: 'user', content: 'Explain SSE with a table.' }] })}>
        Explain
      </button>
      <StreamingMessage
        content={answer.text}
        streaming={answer.status === 'streaming'}
        unfinished={answer.status === 'aborted' || answer.status === 'error'}
      />
    </>
  );
}
