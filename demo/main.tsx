import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Chat } from '@sluice/react';
import '@sluice/react/styles.css';

function App() {
  return (
    <main>
      <header>
        <strong>Sluice</strong> demo: <code>Chat</code> talking to <code>createChatHandler</code>. Type{' '}
        <code>/drop</code> to cut the connection mid-answer, or <code>/fail</code> to make the model fail.
      </header>
      <Chat url="/api/chat" showMetrics pricing={{ inputPerMillion: 2.5, outputPerMillion: 10 }} />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
