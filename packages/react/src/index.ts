'use client';
/**
 * `@sluice/react`: React hooks and components for streaming LLM answers, thin glue over the
 * framework-free stores of `@sluice/stream-client`.
 *
 * @packageDocumentation
 */
export { useStream } from './hooks/useStream.js';
export type { UseStreamOptions, UseStreamResult } from './hooks/useStream.js';
export { useChat } from './hooks/useChat.js';
export type { UseChatOptions, UseChatResult } from './hooks/useChat.js';
export { useChatMessage } from './hooks/useChatMessage.js';
export { ChatBusyError, StreamError } from '@sluice/stream-client';
export type {
  ChatMessage,
  ChatMessageInit,
  ChatMessageStatus,
  ChatRole,
  StreamErrorKind,
  StreamResult,
  StreamStatus,
  Throttle,
} from '@sluice/stream-client';
