'use client';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { ChatSession } from '@sluice/stream-client';
import type {
  ChatInput,
  ChatMessage,
  ChatMessageInit,
  ChatSessionOptions,
  StreamError,
  StreamStatus,
} from '@sluice/stream-client';
import { useOwnedStore } from './useOwnedStore.js';

/**
 * Options of {@link useChat}: endpoint, provider, system prompt, initial messages, body, tools,
 * callbacks; `id` and `resume: true` to follow the chat's live reply on mount.
 */
export type UseChatOptions = ChatSessionOptions;

/** What {@link useChat} returns. */
export interface UseChatResult {
  /** The conversation. Only the streaming message changes identity while a reply streams. */
  messages: readonly ChatMessage[];
  status: StreamStatus;
  error: StreamError | undefined;
  /**
   * Sends a message (its text, or `{ text, files }`) and streams the reply; rejects with
   * `ChatBusyError` while a reply streams and `AttachmentError` for a file that cannot go.
   */
  send(input: ChatInput): Promise<void>;
  /** Answers a tool call that waits for its result. */
  addToolResult(toolCallId: string, output: unknown, options?: { isError?: boolean }): void;
  /** A person's answer to a tool call that waits for approval. */
  addToolApproval(toolCallId: string, approved: boolean, reason?: string): void;
  /** Stops the reply, keeping its text. */
  stop(): void;
  /** Replaces the last reply with a new one (also the way to retry a failed reply). */
  regenerate(): Promise<void>;
  setMessages(
    messages: readonly ChatMessageInit[] | ((current: readonly ChatMessage[]) => readonly ChatMessageInit[]),
  ): void;
  reset(): void;
  /** The session itself, for {@link useChatMessage} and other per-message subscriptions. */
  session: ChatSession;
}

/**
 * A conversation: `send()` messages, render `messages`. The whole history (with the system prompt)
 * is sent in the provider's format; the reply streams into the last message, which is kept
 * (marked stopped or failed) if it stops or fails, and the user's message is never lost.
 *
 * For long conversations, render each message with `React.memo` (or {@link useChatMessage}): a
 * streaming token changes only the streaming message's object, so the others do not re-render.
 *
 * With `id` and `resume: true`, the chat follows its live reply on mount (`session.resume()`): a
 * page reloaded mid-answer, or a second tab, shows the answer that is streaming, exactly once.
 */
export function useChat(options: UseChatOptions): UseChatResult {
  const session = useOwnedStore((initial) => new ChatSession(initial), options);
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
  const resume = options.resume === true;
  useEffect(() => {
    if (!resume) return;
    // Deferred past StrictMode's mount, unmount and mount again, so only one request is made.
    const timer = setTimeout(() => void session.resume().catch(reportResumeFailure), 0);
    return () => clearTimeout(timer);
  }, [session, resume]);
  return useMemo(
    () => ({
      messages: snapshot.messages,
      status: snapshot.status,
      error: snapshot.error,
      send: session.send,
      addToolResult: session.addToolResult,
      addToolApproval: session.addToolApproval,
      stop: session.stop,
      regenerate: session.regenerate,
      setMessages: session.setMessages,
      reset: session.reset,
      session,
    }),
    [snapshot, session],
  );
}

/** A resume() that could not even start (no chat id) is the app's mistake: say so in the console. */
function reportResumeFailure(error: unknown): void {
  console.error('useChat: resume failed:', error);
}
