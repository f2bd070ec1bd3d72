import { memo } from 'react';
import { Composer, MessageList, StreamingMessage, useChat, type ChatMessage } from '@sluice/react';
import { usePacedText } from '@sluice/react/pacing';

const PacedMessage = memo(function PacedMessage({ message }: { message: ChatMessage }) {
  const streaming = message.status === 'streaming';
  // Paced while it streams; the whole text at once when it finishes, is stopped or fails.
  const content = usePacedText(message.content, streaming);
  return (
    <article data-role={message.role}>
      <StreamingMessage
        content={content}
        streaming={streaming}
        unfinished={message.status === 'stopped' || message.status === 'failed'}
      />
    </article>
  );
});

export function PacedChat() {
  const chat = useChat({ url: '/api/chat' });
  const busy = chat.status === 'connecting' || chat.status === 'streaming';
  return (
    <section className="sluice-chat">
      <MessageList contentKey={chat.messages.at(-1)}>
        {chat.messages.map((message) => (
          <PacedMessage key={message.id} message={message} />
        ))}
      </MessageList>
      <Composer onSend={(text) => chat.send(text)} onStop={chat.stop} streaming={busy} />
    </section>
  );
}
