import { useChat, type ChatMessageInit } from '@sluice/react';

/** A saved chat: its id, and the messages your server saved under it. */
export function SavedConversation({ chatId, saved }: { chatId: string; saved: ChatMessageInit[] }) {
  const chat = useChat({ url: '/api/chat', id: chatId, resume: true, initialMessages: saved });
  return (
    <ol>
      {chat.messages.map((message) => (
        <li key={message.id} data-status={message.status}>
          {message.content}
        </li>
      ))}
    </ol>
  );
}
