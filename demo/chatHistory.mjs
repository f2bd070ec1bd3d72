// Where the demo keeps each chat's messages, as an app keeps them in its database: saved by the
// chat handler's hooks (the conversation when a message arrives, the reply when it ends) and
// loaded by the page by the chat's id. In Redis when the demo runs on Redis, so that every server
// process sees the same chats; in memory otherwise.
import { createClient } from 'redis';

/** The chat history store: in Redis at `redisUrl`, or in this process's memory. */
export function createChatHistory(redisUrl) {
  if (!redisUrl) {
    const chats = new Map();
    return {
      load: async (chatId) => chats.get(chatId) ?? [],
      save: async (chatId, messages) => void chats.set(chatId, messages),
    };
  }
  const client = createClient({ url: redisUrl });
  client.on('error', () => {});
  const connected = client.connect();
  const key = (chatId) => `sluice-demo:chat:${chatId}`;
  return {
    async load(chatId) {
      await connected;
      const saved = await client.get(key(chatId));
      return saved === null ? [] : JSON.parse(saved);
    },
    async save(chatId, messages) {
      await connected;
      await client.set(key(chatId), JSON.stringify(messages), { EX: 24 * 60 * 60 });
    },
  };
}
