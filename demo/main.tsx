import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Chat } from '@sluice/react';
import '@sluice/react/styles.css';

function App() {
  return (
    <main>
      <header>
        <strong>Sluice</strong> demo: a chat streamed through a relay built on <code>@sluice/stream-client/server</code>
        .
      </header>
      <Chat url="/api/chat" provider="sluice" showMetrics pricing={{ inputPerMillion: 2.5, outputPerMillion: 10 }} />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
