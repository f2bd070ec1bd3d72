'use client';
import { createContext, useContext, useMemo } from 'react';
import type { ToolCallState } from '@sluice/stream-client';

/**
 * Every word the chat components show or announce, to translate them or say them your way. Give
 * `Chat` (or any component) the ones to change; the rest stay English. Failures are worded by
 * `describeError` (`describeStreamError` by default).
 */
export interface ChatLabels {
  send: string;
  stop: string;
  retry: string;
  /** Shown while the request is on its way and nothing has arrived. */
  thinking: string;
  jumpToLatest: string;
  /** The accessible name of the message box. */
  message: string;
  placeholder: string;
  /** The accessible name of the conversation's scrolling region. */
  conversation: string;
  /** The note under a reply the person stopped. */
  stopped: string;
  /** The note under a failed reply whose failure is unknown. */
  failed: string;
  /** The summary of a failure's technical detail. */
  details: string;
  you: string;
  assistant: string;
  system: string;
  copy: string;
  copied: string;
  /** The name and tooltip of the copy button of a code block still streaming (its text stays `copy`). */
  copyPartial: string;
  attach: string;
  attachedFiles: string;
  /** The accessible name of the button that removes an attached file. */
  remove(filename: string): string;
  /** Tool calls: their region's name, and each state's word. */
  tool?: ((name: string) => string) | undefined;
  toolStates?: Partial<Record<ToolCallState, string>> | undefined;
  arguments?: string | undefined;
  result?: string | undefined;
  approve?: string | undefined;
  deny?: string | undefined;
  /** The placeholder of the reason a person may give for a denial. */
  denyReason?: string | undefined;
  /** The question the approval buttons answer. */
  approval?: string | undefined;
  /** The summary of reasoning while the model thinks, and once it is done. */
  reasoning?: string | undefined;
  thoughtFor?: ((durationMs: number | undefined) => string) | undefined;
  sources?: string | undefined;
  /** The line under a reply whose model asked for something the chat cannot run (a custom tool, a shell command). */
  toolRequest?: ((name: string, kind: string) => string) | undefined;
  source?: ((number: number) => string) | undefined;
  attachments?: string | undefined;
}

/** The English words, the default. Those of tool calls, reasoning and sources live with their views. */
export const englishLabels: ChatLabels = {
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  thinking: 'Thinking…',
  jumpToLatest: 'Jump to latest',
  message: 'Message',
  placeholder: 'Send a message',
  conversation: 'Conversation',
  stopped: 'Stopped',
  failed: 'The answer did not finish.',
  details: 'Details',
  you: 'You',
  assistant: 'Assistant',
  system: 'System',
  copy: 'Copy',
  copied: 'Copied',
  copyPartial: 'Copy (partial)',
  attach: 'Attach',
  attachedFiles: 'Attached files',
  remove: (filename) => `Remove ${filename}`,
};

/** The labels the components below use; `Chat` provides those it is given. */
export const ChatLabelsContext = createContext<ChatLabels>(englishLabels);

/** The labels in effect: the context's, with a component's own `labels` over them. */
export function useChatLabels(own?: Partial<ChatLabels>): ChatLabels {
  const inherited = useContext(ChatLabelsContext);
  return useMemo(() => (own === undefined ? inherited : { ...inherited, ...own }), [inherited, own]);
}
