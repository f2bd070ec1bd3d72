import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Chat } from '@sluice/react';
import type { ChatMessageInit } from '@sluice/react';
import '@sluice/react/styles.css';

/** The chat's id, from the address (`?chat=`), made and put there on a first visit so a reload keeps it. */
function chatIdFromAddress(): string {
  const address = new URL(window.location.href);
  let chatId = address.searchParams.get('chat');
  if (chatId === null || chatId === '') {
    chatId = crypto.randomUUID();
    address.searchParams.set('chat', chatId);
    window.history.replaceState(null, '', address);
  }
  return chatId;
}

function App() {
  const [chatId] = useState(chatIdFromAddress);
  const [saved, setSaved] = useState<ChatMessageInit[] | undefined>(undefined);
  useEffect(() => {
    let current = true;
    void fetch(`/api/chats/${encodeURIComponent(chatId)}`)
      .then((response) => response.json() as Promise<ChatMessageInit[]>)
      .then((messages) => current && setSaved(messages));
    return () => {
      current = false;
    };
  }, [chatId]);
  return (
    <main>
      <header>
        <strong>Sluice</strong> demo: <code>Chat</code> talking to <code>createChatHandler</code>. Type{' '}
        <code>/drop</code> to cut the connection mid-answer, or <code>/fail</code> to make the model fail. Reload
        mid-answer, or open this page in a second tab: the answer goes on there. <a href="/">New chat</a>
      </header>
      {saved === undefined ? null : (
        <Chat
          url="/api/chat"
          id={chatId}
          resume
          initialMessages={saved}
          showMetrics
          pricing={{ inputPerMillion: 2.5, outputPerMillion: 10 }}
        />
      )}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
