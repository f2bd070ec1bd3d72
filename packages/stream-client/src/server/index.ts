/**
 * `@sluice/stream-client/server`: the server end of the wire. `createChatHandler` answers
 * `useChat` from a provider; `relay`, `toSSEResponse`, `writeSSE` and `createResumableStreams`
 * are the pieces it is made of, for servers of your own; `ReplyStore` is what a shared store of
 * replies (`@sluice/redis`) implements.
 *
 * @packageDocumentation
 */
export { createChatHandler } from './createChatHandler.js';
export type {
  ChatContext,
  ChatHandler,
  ChatHandlerOptions,
  ChatModel,
  ChatModelOptions,
  ChatReply,
  NodeRequestLike,
} from './createChatHandler.js';
export type { ChatProvider } from './providerRequest.js';
export type { ChatHandlerTool, ChatToolOptions } from './ChatHandlerTool.js';
export { tool } from './tool.js';
export { ChatRequestError } from './ChatRequestError.js';
export { toSSEResponse } from './toSSEResponse.js';
export type { ToSSEResponseOptions } from './toSSEResponse.js';
export { writeSSE } from './writeSSE.js';
export type { NodeResponseLike } from './writeSSE.js';
export { relay } from './relay.js';
export type { RelayEnding, RelayOptions } from './relay.js';
export { createResumableStreams } from './createResumableStreams.js';
export type {
  ReplySource,
  ReplyStartOptions,
  ResumableStreams,
  ResumableStreamsOptions,
} from './createResumableStreams.js';
export { createMemoryStore } from './createMemoryStore.js';
export type { MemoryStoreOptions } from './createMemoryStore.js';
export type { ReplyOptions, ReplyStopReason, ReplyStore, ReplyWriter } from './ReplyStore.js';
export { ReplyStoreError } from './ReplyStoreError.js';
export type { ReplyStoreErrorKind } from './ReplyStoreError.js';
export { ReplyBuffer } from './ReplyBuffer.js';
export { DEFAULT_HEARTBEAT_MS, SSE_HEADERS } from './EventSource.js';
export type { EventSourceInput, OutgoingEvent, SSEWriteOptions } from './EventSource.js';
export { formatServerSentEvent } from '../sse/formatServerSentEvent.js';
export type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
export type { ChatFile, ChatRequest, ChatStep, ChatToolCall, ChatTurn } from '../stores/buildChatRequestBody.js';
export type { JsonSchema, StandardSchema, ToolSpec } from '../tools/ToolDefinition.js';
export type { Redact } from './errorEvent.js';
