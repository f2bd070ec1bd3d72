import { StreamingMessage, useStream } from '@sluice/react';
import { usePacedText } from '@sluice/react/pacing';

export function PacedAnswer({ question }: { question: string }) {
  const answer = useStream({ url: '/api/chat' });
  const streaming = answer.status === 'streaming';
  // Paced while it streams; the whole text at once when it finishes, is stopped or fails.
  const shown = usePacedText(answer.text, streaming);
  return (
    <>
      <button onClick={() => answer.start({ messages: [{ role: 'user', content: question }] })}>Ask</button>
      <StreamingMessage
        content={shown}
        streaming={streaming}
        unfinished={answer.status === 'aborted' || answer.status === 'error'}
      />
    </>
  );
}
