'use client';
import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import { withClassName } from './withClassName.js';

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** Sends the text. When it returns a promise that rejects, the text stays in the box. */
  onSend(text: string): void | Promise<unknown>;
  /** Stops the reply that is streaming. */
  onStop?(): void;
  /** A reply is streaming: the Stop button shows, and sending waits. */
  streaming?: boolean;
  disabled?: boolean;
  placeholder?: string;
  className?: string;
  /** The accessible name of the text box. */
  label?: string;
}

/**
 * The message box: Enter sends, Shift+Enter adds a line, the Send button is disabled while the
 * text is empty, and a Stop button replaces it while a reply streams.
 */
export function Composer({
  onSend,
  onStop,
  streaming = false,
  disabled = false,
  placeholder = 'Send a message',
  className,
  label = 'Message',
}: ComposerProps) {
  const [text, setText] = useState('');
  const empty = text.trim() === '';
  const canSend = !empty && !disabled && !streaming;

  const send = () => {
    if (!canSend) return;
    const sending = text;
    setText('');
    const result = onSend(sending);
    if (result instanceof Promise) {
      // Refused (for example while a reply still streams): give the text back.
      result.catch(() => setText((current) => (current === '' ? sending : current)));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while an input method is composing confirms the composition, not the message.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  };

  return (
    <form
      className={withClassName('sluice-composer', className)}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder={placeholder}
        aria-label={label}
        rows={1}
        disabled={disabled}
      />
      {/* Two elements, not one that changes its type: a click on Stop re-renders before the
          browser runs the click's default action, which on the same element, now a submit
          button, would send the draft. */}
      {streaming ? (
        <button key="stop" type="button" className="sluice-stop" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button key="send" type="submit" className="sluice-send" disabled={!canSend}>
          Send
        </button>
      )}
    </form>
  );
}
