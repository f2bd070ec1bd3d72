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
export { AttachmentError, ChatBusyError, StreamError, tool } from '@sluice/stream-client';
export type {
  AttachmentInput,
  AttachmentLimits,
  ChatFile,
  ChatRequest,
  ChatSessionOptions,
  ChatSnapshot,
  Decoder,
  FinishReason,
  JsonSchema,
  PartState,
  ProviderFormat,
  RetryOptions,
  StandardSchema,
  StepStartPart,
  StreamCost,
  StreamLimits,
  StreamMetrics,
  StreamPart,
  StreamTextOptions,
  ToolExecuteOptions,
  ToolRequestPart,
  Usage,
  ChatInput,
  ChatMessage,
  ChatMessageInit,
  ChatMessageStatus,
  ChatRole,
  Continuation,
  DataPart,
  FilePart,
  MessageMetadata,
  MessagePart,
  ReasoningPart,
  ServerToolPart,
  SourcePart,
  TextPart,
  ToolCallPart,
  ToolCallState,
  ToolDefinition,
  ServerToolCall,
  Source,
  StreamErrorKind,
  StreamResult,
  StreamStatus,
  Throttle,
  ToolRequest,
} from '@sluice/stream-client';
export { StreamingMessage } from './components/StreamingMessage.js';
export type { StreamingMessageProps } from './components/StreamingMessage.js';
export { CodeBlock } from './components/CodeBlock.js';
export type { CodeBlockProps } from './components/CodeBlock.js';
export { MessageList } from './components/MessageList.js';
export type { MessageListProps } from './components/MessageList.js';
export { Composer } from './components/Composer.js';
export type { ComposerProps } from './components/Composer.js';
export { ChatLabelsContext, englishLabels } from './components/ChatLabels.js';
export type { ChatLabels } from './components/ChatLabels.js';
export { ChatMessageView } from './components/ChatMessageView.js';
export type { ChatMessageViewProps, DataRenderer, ToolRenderer } from './components/ChatMessageView.js';
export { ToolCall } from './components/ToolCall.js';
export type { ToolCallActions, ToolCallProps } from './components/ToolCall.js';
export { Reasoning } from './components/Reasoning.js';
export type { ReasoningProps } from './components/Reasoning.js';
export { Sources } from './components/Sources.js';
export type { SourcesProps } from './components/Sources.js';
export { ServerTool } from './components/ServerTool.js';
export type { ServerToolProps } from './components/ServerTool.js';
export { MessageFiles } from './components/MessageFiles.js';
export type { MessageFilesProps } from './components/MessageFiles.js';
export { MessageMetrics } from './components/MessageMetrics.js';
export type { MessageMetricsProps } from './components/MessageMetrics.js';
export { Chat } from './components/Chat.js';
export type { ChatProps } from './components/Chat.js';
export type { MarkdownPolicy } from './markdown/MarkdownPolicyContext.js';
export type { CombinedMarkdownPlugin, MarkdownPlugin } from './markdown/MarkdownPlugin.js';
export { combinePlugins } from './markdown/combinePlugins.js';
export { safeUrl } from './markdown/safeUrl.js';
