import { describeStreamError } from '@sluice/stream-client';
import { useStream } from '@sluice/react';

export function Answer({ question }: { question: string }) {
  const answer = useStream({ url: '/api/chat', idleTimeoutMs: 30_000 });
  return (
    <section aria-busy={answer.status === 'streaming'}>
      <button onClick={() => answer.start({ messages: [{ role: 'user', content: question }] })}>Ask</button>
      {answer.status === 'streaming' && <button onClick={answer.stop}>Stop</button>}
      <p>{answer.text}</p>
      {answer.error && (
        <p role="alert">
          {describeStreamError(answer.error)} {answer.error.retryable && <button onClick={answer.retry}>Retry</button>}
        </p>
      )}
    </section>
  );
}
