import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AttachmentError } from '@sluice/stream-client';
import type { ChatMessage, ReasoningPart, ToolCallPart } from '@sluice/stream-client';
import { ChatLabelsContext, englishLabels } from './ChatLabels.js';
import { ChatMessageView } from './ChatMessageView.js';
import { Composer } from './Composer.js';
import { Reasoning } from './Reasoning.js';
import { ToolCall } from './ToolCall.js';
import { loadPartViews } from './usePartViews.js';

const call = (fields: Partial<ToolCallPart>): ToolCallPart => ({
  type: 'tool-call',
  id: 'call_1',
  name: 'book_table',
  state: 'input-available',
  input: { restaurant: 'Chez Nous', people: 4 },
  inputText: '{"restaurant":"Chez Nous","people":4}',
  ...fields,
});

describe('ToolCall', () => {
  it('shows the arguments as pretty JSON while they stream, never a half-written key', () => {
    render(
      <ToolCall
        part={call({
          state: 'input-streaming',
          input: { restaurant: 'Chez' },
          inputText: '{"restaurant":"Chez", "peo',
        })}
      />,
    );
    const code = screen.getByText((_content, element) => element?.tagName === 'CODE');
    expect(code.textContent).toBe('{\n  "restaurant": "Chez"\n}');
    expect(screen.getByText('Preparing')).toBeTruthy();
  });

  it('offers Approve and Deny, with a reason, while the call waits for approval', () => {
    const onApproval = vi.fn<(id: string, approved: boolean, reason?: string) => void>();
    const { rerender } = render(<ToolCall part={call({ state: 'awaiting-approval' })} onApproval={onApproval} />);
    const group = screen.getByRole('group', { name: 'Approve this tool call?' });
    fireEvent.change(within(group).getByRole('textbox', { name: 'Reason for denying' }), {
      target: { value: ' Too many people. ' },
    });
    fireEvent.click(within(group).getByRole('button', { name: 'Deny' }));
    expect(onApproval).toHaveBeenLastCalledWith('call_1', false, 'Too many people.');
    fireEvent.click(within(group).getByRole('button', { name: 'Approve' }));
    expect(onApproval).toHaveBeenLastCalledWith('call_1', true);
    rerender(<ToolCall part={call({ state: 'approved' })} onApproval={onApproval} />);
    expect(screen.queryByRole('group', { name: 'Approve this tool call?' })).toBeNull();
  });

  it('shows the result, or why it failed', () => {
    const { container, rerender } = render(
      <ToolCall part={call({ state: 'output-available', output: { confirmed: true } })} />,
    );
    expect(screen.getByText('Done')).toBeTruthy();
    expect(container.querySelector('.sluice-tool-output code')!.textContent).toBe('{\n  "confirmed": true\n}');
    rerender(<ToolCall part={call({ state: 'output-error', errorText: 'The tool did not finish within 60 s.' })} />);
    expect(screen.getByRole('alert').textContent).toBe('The tool did not finish within 60 s.');
  });
});

describe('Reasoning', () => {
  const reasoning = (fields: Partial<ReasoningPart>): ReasoningPart => ({
    type: 'reasoning',
    id: 'r1',
    text: 'Check the **calendar** first.',
    state: 'streaming',
    ...fields,
  });

  it('is open while the model thinks, then closes and says how long it thought', () => {
    const { container, rerender } = render(<Reasoning part={reasoning({})} />);
    const details = container.querySelector('details')!;
    expect(details.open).toBe(true);
    expect(screen.getByText('Thinking…')).toBeTruthy();
    expect(screen.getByText('calendar', { selector: 'strong' })).toBeTruthy();
    rerender(<Reasoning part={reasoning({ state: 'done', durationMs: 12_400 })} />);
    expect(details.open).toBe(false);
    expect(screen.getByText('Thought for 12 s')).toBeTruthy();
  });

  it('stays as the person set it once they opened or closed it', () => {
    const { container, rerender } = render(<Reasoning part={reasoning({})} />);
    const details = container.querySelector('details')!;
    details.open = false;
    fireEvent(details, new Event('toggle'));
    details.open = true;
    fireEvent(details, new Event('toggle'));
    rerender(<Reasoning part={reasoning({ state: 'done', durationMs: 300 })} />);
    expect(details.open).toBe(true);
    expect(screen.getByText('Thought for a moment')).toBeTruthy();
  });
});

describe('ChatMessageView with parts', () => {
  // Chat loads these views as it mounts; a ChatMessageView on its own loads them with its first such part.
  beforeAll(() => loadPartViews());

  it('says in one line, in the chat’s language, that the model asked for something it cannot run', () => {
    const message: ChatMessage = {
      id: 'a2',
      role: 'assistant',
      status: 'done',
      content: '',
      parts: [
        {
          type: 'tool-request',
          id: 'r1',
          request: { kind: 'local-shell', id: 'call_9', name: 'shell', input: { command: ['ls'] } },
        },
      ],
    };
    const { unmount } = render(<ChatMessageView message={message} />);
    expect(screen.getByText('The model asks for shell (local-shell), which this chat does not run.')).toBeTruthy();
    unmount();
    render(
      <ChatLabelsContext.Provider
        value={{ ...englishLabels, toolRequest: (name) => `Le modèle demande ${name}, que ce chat n’exécute pas.` }}
      >
        <ChatMessageView message={message} />
      </ChatLabelsContext.Provider>,
    );
    expect(screen.getByText('Le modèle demande shell, que ce chat n’exécute pas.')).toBeTruthy();
  });

  const reply: ChatMessage = {
    id: 'a1',
    role: 'assistant',
    status: 'done',
    content: 'Tides are at 06:12.',
    parts: [
      { type: 'step-start', id: 's' },
      {
        type: 'server-tool',
        id: 'srv',
        name: 'web_search',
        input: { query: 'tides Brest' },
        output: [],
        state: 'done',
      },
      { type: 'text', id: 't1', text: 'Tides are at 06:12.', state: 'done' },
      {
        type: 'source',
        id: 'src1',
        source: { url: 'https://tides.example/brest', title: 'Brest tides' },
        textPartId: 't1',
      },
      { type: 'source', id: 'src2', source: { url: 'javascript:alert(1)', title: 'Sneaky' } },
      { type: 'data-weather', id: 'd1', data: { temperature: 14 } },
      { type: 'file', id: 'f1', mediaType: 'image/png', url: 'data:image/png;base64,iVBORw==', filename: 'chart.png' },
      {
        type: 'file',
        id: 'f2',
        mediaType: 'image/png',
        url: 'https://tracker.example/pixel.png',
        filename: 'pixel.png',
      },
    ],
  };

  it('renders each part in order, sources under it with a marker after the text they support', () => {
    const { container } = render(
      <ChatMessageView
        message={reply}
        renderData={{ weather: (part) => <p>Now {(part.data as { temperature: number }).temperature} °C</p> }}
      />,
    );
    expect(screen.getByText('Searched the web: tides Brest')).toBeTruthy();
    const marker = screen.getByRole('link', { name: 'Source 1' });
    expect(marker.getAttribute('href')).toBe('#a1-source-1');
    const sources = screen.getByRole('navigation', { name: 'Sources' });
    expect(within(sources).getByRole('link', { name: 'Brest tides' }).getAttribute('href')).toBe(
      'https://tides.example/brest',
    );
    // A source whose address is not a web page is named, never linked.
    expect(within(sources).queryByRole('link', { name: 'Sneaky' })).toBeNull();
    expect(screen.getByText('Now 14 °C')).toBeTruthy();
    // The image the message holds shows; one at an address the model chose does not load.
    expect(container.querySelector('img[alt="chart.png"]')).not.toBeNull();
    expect(container.querySelector('img[alt="pixel.png"]')).toBeNull();
  });

  it('renders a tool’s calls with its own renderer, given approve and deny', () => {
    const onToolApproval = vi.fn<(id: string, approved: boolean, reason?: string) => void>();
    const message: ChatMessage = { ...reply, status: 'waiting', parts: [call({ state: 'awaiting-approval' })] };
    render(
      <ChatMessageView
        message={message}
        onToolApproval={onToolApproval}
        renderTool={{
          book_table: (part, actions) => (
            <button type="button" onClick={() => actions.approve()}>
              Book {(part.input as { people: number }).people} seats
            </button>
          ),
        }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Book 4 seats' }));
    expect(onToolApproval).toHaveBeenCalledWith('call_1', true);
  });
});

describe('Composer attachments', () => {
  const image = () => new File([new Uint8Array([1, 2, 3])], 'photo.png', { type: 'image/png' });

  it('takes files by paste, drop and the picker, shows them, and sends them with the text', () => {
    URL.createObjectURL = vi.fn<(object: Blob) => string>(() => 'blob:preview');
    URL.revokeObjectURL = vi.fn<(url: string) => void>();
    const onSend = vi.fn<(text: string, files: readonly File[]) => void>();
    const { container } = render(<Composer onSend={onSend} attachments />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.paste(box, { clipboardData: { files: [image()] } });
    fireEvent.drop(container.querySelector('form')!, {
      dataTransfer: { files: [new File(['notes'], 'notes.txt', { type: 'text/plain' })] },
    });
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['%PDF'], 'paper.pdf', { type: 'application/pdf' })] } });
    const list = screen.getByRole('list', { name: 'Attached files' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['photo.png×', 'notes.txt×', 'paper.pdf×']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove notes.txt' }));
    // Files alone can be sent.
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenCalledOnce();
    expect(onSend.mock.calls[0]![1].map((file) => file.name)).toEqual(['photo.png', 'paper.pdf']);
    expect(URL.revokeObjectURL).toHaveBeenCalled();
  });

  it('gives text and files back, and says why, when a file is refused', async () => {
    const onSend = vi.fn<(text: string, files: readonly File[]) => Promise<void>>(() =>
      Promise.reject(new AttachmentError('photo.png is larger than 5 MB.', 'too-large', 'photo.png')),
    );
    render(<Composer onSend={onSend} attachments />);
    const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Look at this' } });
    fireEvent.paste(box, { clipboardData: { files: [image()] } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Send' })));
    expect(box.value).toBe('Look at this');
    expect(screen.getByRole('alert').textContent).toBe('photo.png is larger than 5 MB.');
    expect(screen.getByRole('list', { name: 'Attached files' }).textContent).toContain('photo.png');
  });
});

describe('the views of tool calls, sources and files', () => {
  it('load with the first message that needs them, and then show it', async () => {
    vi.resetModules();
    const { ChatMessageView: FreshView } = await import('./ChatMessageView.js');
    const message: ChatMessage = {
      id: 'a2',
      role: 'assistant',
      status: 'done',
      content: '',
      parts: [call({ state: 'output-available', output: 'ok' })],
    };
    render(<FreshView message={message} />);
    expect(await screen.findByRole('region', { name: 'Tool book_table' })).toBeTruthy();
  });
});
