import { Chat, tool } from '@sluice/react';
import '@sluice/react/styles.css';

const tools = {
  // Runs in the browser once the person approves it; what it returns goes back to the model.
  bookTable: tool<{ restaurant: string; people: number }>({
    description: 'Book a table at a restaurant.',
    parameters: {
      type: 'object',
      properties: { restaurant: { type: 'string' }, people: { type: 'integer', minimum: 1 } },
      required: ['restaurant', 'people'],
    },
    needsApproval: true,
    execute: async ({ restaurant, people }, { signal }) => {
      const response = await fetch('/api/bookings', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ restaurant, people }),
        signal,
      });
      return response.json();
    },
  }),
};

export function Concierge() {
  return <Chat url="/api/chat" tools={tools} system="You book tables for people." />;
}
