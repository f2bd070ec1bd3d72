/**
 * `@sluice/stream-client`: stream LLM answers over Server-Sent Events in any JavaScript runtime.
 *
 * @packageDocumentation
 */
export type { ServerSentEvent } from './sse/ServerSentEvent.js';
export { SSEParseError } from './sse/SSEParseError.js';
export type { SSEParseErrorKind } from './sse/SSEParseError.js';
export { createSSEParser, DEFAULT_MAX_EVENT_BYTES } from './sse/createSSEParser.js';
export type { SSEParser, SSEParserCallbacks, SSEParserOptions } from './sse/createSSEParser.js';
export { parseSSE } from './sse/parseSSE.js';
export type { EventStreamSource, ParseSSEOptions } from './sse/parseSSE.js';
export type { Decoder, ProviderFormat } from './providers/Decoder.js';
export type {
  Continuation,
  FinishReason,
  ServerToolCall,
  Source,
  StreamPart,
  StreamPartType,
  ToolCall,
  ToolRequest,
  Usage,
} from './providers/StreamPart.js';
export { createDecoder } from './providers/createDecoder.js';
export { streamText } from './transport/streamText.js';
export type { StreamTextOptions } from './transport/streamText.js';
export type { TextStream, TextStreamListeners } from './transport/TextStream.js';
export { StreamError } from './transport/StreamError.js';
export type { StreamErrorDetails, StreamErrorKind } from './transport/StreamError.js';
export { describeStreamError } from './transport/describeStreamError.js';
export type { ChoiceResult, Pricing, StreamCost, StreamMetrics, StreamResult } from './transport/StreamResult.js';
export type { RetryOptions } from './transport/retryPolicy.js';
export type { StreamLimits } from './transport/StreamLimits.js';
export { textDeltas } from './helpers/textDeltas.js';
export { sentences } from './helpers/sentences.js';
export { collectParts } from './helpers/collectParts.js';
export { formatServerSentEvent } from './sse/formatServerSentEvent.js';
export type { OutgoingServerSentEvent } from './sse/formatServerSentEvent.js';
export { Subscribable } from './stores/Subscribable.js';
export { createFlushScheduler } from './stores/createFlushScheduler.js';
export type { FlushScheduler, Throttle } from './stores/createFlushScheduler.js';
export { TextStreamStore } from './stores/TextStreamStore.js';
export type { StreamStatus, TextStreamSnapshot, TextStreamStoreOptions } from './stores/TextStreamStore.js';
export { ChatSession } from './stores/ChatSession.js';
export type {
  ChatInput,
  ChatMessage,
  ChatMessageInit,
  ChatMessageStatus,
  ChatRole,
  ChatSessionOptions,
  ChatSnapshot,
} from './stores/ChatSession.js';
export type {
  DataPart,
  FilePart,
  MessageMetadata,
  MessagePart,
  PartState,
  ReasoningPart,
  ServerToolPart,
  SourcePart,
  StepStartPart,
  TextPart,
  ToolCallPart,
  ToolCallState,
  ToolRequestPart,
} from './stores/MessagePart.js';
export { ChatBusyError } from './stores/ChatBusyError.js';
export { AttachmentError } from './stores/AttachmentError.js';
export type { AttachmentErrorReason } from './stores/AttachmentError.js';
export type { AttachmentInput, AttachmentLimits } from './stores/readAttachments.js';
export { buildChatRequestBody } from './stores/buildChatRequestBody.js';
export type { ChatFile, ChatRequest, ChatStep, ChatToolCall, ChatTurn } from './stores/buildChatRequestBody.js';
export { PartialJsonParser } from './tools/PartialJsonParser.js';
export { tool } from './tools/tool.js';
export type {
  JsonSchema,
  StandardSchema,
  StandardSchemaResult,
  ToolDefinition,
  ToolExecuteOptions,
  ToolSpec,
} from './tools/ToolDefinition.js';
