'use client';
import { memo, useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useChatLabels } from './ChatLabels.js';
import type { ChatLabels } from './ChatLabels.js';
import type { AttachedFile } from './AttachedFiles.js';
import { usePartViews } from './usePartViews.js';
import { withClassName } from './withClassName.js';

/** Props of {@link Composer}. */
export interface ComposerProps {
  /**
   * Sends the text, with the files attached to it. When it returns a promise that rejects, the
   * text and files stay in the box, and the rejection's message shows under it when it is an
   * `AttachmentError` (a file too large, of a type not taken).
   */
  onSend(text: string, files: readonly File[]): void | Promise<unknown>;
  /** Stops the reply that is streaming. */
  onStop?: (() => void) | undefined;
  /** A reply is streaming: the Stop button shows, and sending waits. */
  streaming?: boolean | undefined;
  disabled?: boolean | undefined;
  placeholder?: string | undefined;
  className?: string | undefined;
  /** The accessible name of the text box (`labels.message`). */
  label?: string | undefined;
  labels?: Partial<ChatLabels> | undefined;
  /**
   * Lets the person attach files, by the Attach button, by pasting and by dropping them on the box;
   * `accept` lists the media types the picker offers (`image/*`, `application/pdf`...).
   */
  attachments?: boolean | { accept?: readonly string[] | undefined } | undefined;
}

/**
 * The message box: Enter sends, Shift+Enter adds a line, the Send button is disabled while there
 * is nothing to send, and a Stop button replaces it while a reply streams. With `attachments`,
 * files come by the Attach button, a paste or a drop, each shown (images as thumbnails) with a
 * button that removes it. Memoised: a chat re-renders every frame while a reply streams, the box
 * only when its own props change.
 */
export const Composer = memo(function Composer({
  onSend,
  onStop,
  streaming = false,
  disabled = false,
  placeholder,
  className,
  label,
  attachments = false,
  labels,
}: ComposerProps) {
  const words = useChatLabels(labels);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<readonly AttachedFile[]>([]);
  const [problem, setProblem] = useState<string>();
  const picker = useRef<HTMLInputElement>(null);
  // The list of attached files loads with the part views (Chat loads them as it mounts).
  const hasFiles = files.length > 0;
  const views = usePartViews(hasFiles);
  const attaching = attachments !== false;
  const accept = typeof attachments === 'object' ? attachments.accept : undefined;
  const empty = text.trim() === '' && !hasFiles;
  const canSend = !empty && !disabled && !streaming;

  // Previews are freed when the box lets go of them, and when it goes away.
  const shown = useRef<readonly AttachedFile[]>([]);
  useEffect(() => {
    shown.current = files;
  }, [files]);
  useEffect(() => () => shown.current.forEach(release), []);

  const attach = (list: FileList | readonly File[] | null) => {
    if (list === null || list.length === 0) return;
    setProblem(undefined);
    const added = Array.from(list, (file) => ({
      file,
      preview:
        file.type.startsWith('image/') && typeof URL.createObjectURL === 'function'
          ? URL.createObjectURL(file)
          : undefined,
    }));
    setFiles((current) => [...current, ...added]);
  };
  const remove = (attached: AttachedFile) => {
    release(attached);
    setFiles((current) => current.filter((each) => each !== attached));
  };

  const send = () => {
    if (!canSend) return;
    const sending = text;
    const sendingFiles = files;
    setText('');
    setFiles([]);
    setProblem(undefined);
    const result = onSend(
      sending,
      sendingFiles.map((attached) => attached.file),
    );
    const settled = () => sendingFiles.forEach(release);
    if (!(result instanceof Promise)) {
      settled();
      return;
    }
    result.then(settled, (error: unknown) => {
      // Refused (a reply still streaming, a file too large): give the text and files back.
      setText((current) => (current === '' ? sending : current));
      setFiles((current) => (current.length === 0 ? sendingFiles : current));
      if (error instanceof Error && error.name === 'AttachmentError') setProblem(error.message);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while an input method is composing confirms the composition, not the message.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  };
  // A paste or a drop that holds files attaches them, instead of what the browser would do.
  const take = (event: { preventDefault(): void }, list: FileList) => {
    if (!attaching || list.length === 0) return;
    event.preventDefault();
    attach(list);
  };

  return (
    <form
      className={withClassName('sluice-composer', className)}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      onDragOver={attaching ? (event) => event.preventDefault() : undefined}
      onDrop={(event) => take(event, event.dataTransfer.files)}
    >
      {hasFiles && views !== undefined ? (
        <views.AttachedFiles files={files} onRemove={remove} problem={problem} labels={labels} />
      ) : null}
      <div className="sluice-composer-row">
        {attaching ? (
          <>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              accept={accept && pickerAccept(accept)}
              onChange={(event) => {
                attach(event.target.files);
                event.target.value = '';
              }}
            />
            <button type="button" className="sluice-attach" onClick={() => picker.current?.click()} disabled={disabled}>
              {words.attach}
            </button>
          </>
        ) : null}
        <textarea
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={(event) => take(event, event.clipboardData.files)}
          placeholder={placeholder ?? words.placeholder}
          aria-label={label ?? words.message}
          rows={1}
          disabled={disabled}
        />
        {/* Two elements, not one that changes its type: a click on Stop re-renders before the
            browser runs the click's default action, which on the same element, now a submit
            button, would send the draft. */}
        {streaming ? (
          <button key="stop" type="button" className="sluice-stop" onClick={onStop}>
            {words.stop}
          </button>
        ) : (
          <button key="send" type="submit" className="sluice-send" disabled={!canSend}>
            {words.send}
          </button>
        )}
      </div>
    </form>
  );
});

/** The wildcards a file picker knows; any other (`text/*`) is not valid HTML, and is ignored there. */
const PICKER_WILDCARDS: ReadonlySet<string> = new Set(['image/*', 'audio/*', 'video/*']);
/** What `text/*` means to a picker: the text files people attach, by type and by name. */
const TEXT_FILES = 'text/plain,text/markdown,text/csv,text/html,.txt,.md,.markdown,.csv,.log';

/**
 * The picker's `accept` for the media types a chat takes. A wildcard the picker does not know is
 * spelled out (`text/*` as the text files people attach), or, when it cannot be, the picker offers
 * every file, and the chat's own check says which it refuses.
 */
function pickerAccept(accept: readonly string[]): string | undefined {
  const tokens: string[] = [];
  for (const type of accept) {
    if (!type.endsWith('/*') || PICKER_WILDCARDS.has(type)) tokens.push(type);
    else if (type === 'text/*') tokens.push(TEXT_FILES);
    else return undefined;
  }
  return tokens.join(',');
}

function release(attached: AttachedFile): void {
  if (attached.preview !== undefined) URL.revokeObjectURL(attached.preview);
}
