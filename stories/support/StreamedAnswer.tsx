import { StreamingMessage, useStream } from '@sluice/react';
import type { MarkdownPlugin } from '@sluice/react';

/** Props of {@link StreamedAnswer}. */
export interface StreamedAnswerProps {
  /** What the button asks. */
  question: string;
  /** Made once, outside the story: a message keeps the plugins it first rendered with. */
  plugins?: readonly MarkdownPlugin[] | undefined;
}

/** Streams `/api/answer` into a StreamingMessage when the button is pressed, its status beside it. */
export function StreamedAnswer({ question, plugins }: StreamedAnswerProps) {
  const answer = useStream({ url: '/api/answer', provider: 'openai' });
  return (
    <div>
      <button type="button" onClick={() => answer.start({ question })}>
        Stream answer
      </button>
      <output data-status={answer.status}> {answer.status}</output>
      <StreamingMessage
        content={answer.text}
        streaming={answer.status === 'streaming' || answer.status === 'connecting'}
        plugins={plugins}
      />
    </div>
  );
}
