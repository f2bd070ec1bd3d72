import { Chat } from '@sluice/react';
import '@sluice/react/styles.css';

export default function Page() {
  return <Chat url="/api/chat" system="You are concise." showMetrics />;
}
