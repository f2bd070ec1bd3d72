'use client';
import { memo, useContext, useState } from 'react';
import type { ToolCallPart } from '@sluice/stream-client';
import { ChatLabelsContext } from './ChatLabels.js';
import type { ChatLabels } from './ChatLabels.js';
import { withClassName } from './withClassName.js';

/** What a person can do with a tool call that waits for their approval. */
export interface ToolCallActions {
  /** Lets the call run. */
  approve(): void;
  /** Refuses it; the model is told, with the reason if given. */
  deny(reason?: string): void;
}

/** Props of {@link ToolCall}. */
export interface ToolCallProps {
  part: ToolCallPart;
  /** Offered as Approve and Deny while the call waits for approval (`useChat`'s `addToolApproval`). */
  onApproval?: ((toolCallId: string, approved: boolean, reason?: string) => void) | undefined;
  className?: string | undefined;
  labels?: Partial<ChatLabels> | undefined;
}

const stateNames: Readonly<Record<ToolCallPart['state'], string>> = {
  'input-streaming': 'Preparing',
  'input-available': 'Running',
  'awaiting-approval': 'Waiting for your approval',
  approved: 'Approved',
  denied: 'Denied',
  'output-available': 'Done',
  'output-error': 'Failed',
};

/**
 * A tool call as a person sees it: the tool's name and where the call is, its arguments as they
 * stream (pretty JSON, never a half-written key), Approve and Deny while it waits for approval,
 * and its result or why it failed. Memoised: it renders again only when its part changes.
 */
export const ToolCall = memo(function ToolCall({ part, onApproval, className, labels }: ToolCallProps) {
  const words = { ...useContext(ChatLabelsContext), ...labels };
  const waiting = part.state === 'awaiting-approval';
  const streaming = part.state === 'input-streaming';
  return (
    <section
      className={withClassName('sluice-tool', className)}
      data-state={part.state}
      aria-label={words.tool?.(part.name) ?? `Tool ${part.name}`}
      aria-busy={streaming || part.state === 'input-available' || undefined}
    >
      <header className="sluice-tool-header">
        <span className="sluice-tool-name">{part.name}</span>
        <span className="sluice-tool-state">{words.toolStates?.[part.state] ?? stateNames[part.state]}</span>
      </header>
      <details className="sluice-tool-input" open={streaming || waiting}>
        <summary>{words.arguments ?? 'Arguments'}</summary>
        <pre>
          <code>{shownArguments(part)}</code>
        </pre>
      </details>
      {waiting && onApproval !== undefined ? <Approval id={part.id} onApproval={onApproval} words={words} /> : null}
      {part.state === 'output-available' ? (
        <details className="sluice-tool-output">
          <summary>{words.result ?? 'Result'}</summary>
          <pre>
            <code>{pretty(part.output)}</code>
          </pre>
        </details>
      ) : null}
      {part.state === 'output-error' ? (
        <p className="sluice-tool-error" role="alert">
          {part.errorText}
        </p>
      ) : null}
      {part.state === 'denied' && part.denialReason !== undefined ? (
        <p className="sluice-tool-denied">{part.denialReason}</p>
      ) : null}
    </section>
  );
});

/** Approve, or Deny with an optional reason. */
function Approval({
  id,
  onApproval,
  words,
}: {
  id: string;
  onApproval: (toolCallId: string, approved: boolean, reason?: string) => void;
  words: Partial<ChatLabels>;
}) {
  const [reason, setReason] = useState('');
  return (
    <div className="sluice-tool-approval" role="group" aria-label={words.approval ?? 'Approve this tool call?'}>
      <button type="button" className="sluice-approve" onClick={() => onApproval(id, true)}>
        {words.approve ?? 'Approve'}
      </button>
      <input
        className="sluice-deny-reason"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        placeholder={words.denyReason ?? 'Reason (optional)'}
        aria-label={words.denyReason ?? 'Reason for denying'}
      />
      <button
        type="button"
        className="sluice-deny"
        onClick={() => onApproval(id, false, reason.trim() === '' ? undefined : reason.trim())}
      >
        {words.deny ?? 'Deny'}
      </button>
    </div>
  );
}

/** The arguments to show: pretty JSON of what has been parsed, or the raw text when it is not JSON. */
function shownArguments(part: ToolCallPart): string {
  if (part.input !== undefined) return pretty(part.input);
  if (part.state === 'input-streaming') return '…';
  return part.inputText === '' ? '{}' : part.inputText;
}

/** A value as indented JSON, or its text when it is not JSON. */
function pretty(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
