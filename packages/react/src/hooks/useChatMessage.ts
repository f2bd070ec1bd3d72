'use client';
import { useCallback, useSyncExternalStore } from 'react';
import type { ChatMessage, ChatSession } from '@sluice/stream-client';

/**
 * One message of a conversation, re-rendering only when that message changes: for a message
 * component that is handed an id rather than the message.
 */
export function useChatMessage(session: ChatSession, id: string): ChatMessage | undefined {
  const subscribe = useCallback((listener: () => void) => session.subscribeMessage(id, listener), [session, id]);
  const getMessage = useCallback(() => session.getMessage(id), [session, id]);
  return useSyncExternalStore(subscribe, getMessage, getMessage);
}
