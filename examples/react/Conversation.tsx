import { memo } from 'react';
import { useChat, type ChatMessage } from '@sluice/react';

const Message = memo(function Message({ message }: { message: ChatMessage }) {
  return <article data-status={message.status}>{message.content}</article>;
});

export function Conversation() {
  const chat = useChat({ url: '/api/chat', system: 'You are concise.' });
  const busy = chat.status === 'connecting' || chat.status === 'streaming';
  return (
    <>
      {chat.messages.map((message) => (
        <Message key={message.id} message={message} />
      ))}
      {chat.error && <button onClick={() => chat.regenerate()}>Retry</button>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const text = String(new FormData(form).get('text') ?? '').trim();
          if (busy || text === '') return;
          form.reset();
          void chat.send(text);
        }}
      >
        <input name="text" />
        {/* Keyed apart, so React never turns the Stop under the pointer into a Send that submits. */}
        {busy ? (
          <button key="stop" type="button" onClick={chat.stop}>
            Stop
          </button>
        ) : (
          <button key="send">Send</button>
        )}
      </form>
    </>
  );
}
