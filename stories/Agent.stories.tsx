import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { Chat, tool } from '@sluice/react';
import type { ToolCallPart } from '@sluice/react';
import type { StreamPart } from '@sluice/stream-client';
import { partsStream } from '@sluice/stream-client/testing';
import { sse } from './support/sse.js';
import { inStoryFrame } from './support/inStoryFrame.js';

/**
 * Replies made of parts, as createChatHandler sends them: tool calls whose arguments stream, a
 * person's approval, reasoning, the provider's own tools, sources, files and data from the server.
 * Each request the chat sends is recorded, so a story can check what went back to the model.
 */
const meta = {
  title: 'Chat/Parts and tools',
  component: Chat,
  args: { url: '/api/agent' },
  decorators: [inStoryFrame],
} satisfies Meta<typeof Chat>;

export default meta;
type Story = StoryObj<typeof meta>;

const weatherArguments = '{"city": "Paris", "days": [1, 2, 3]}';

/** A reply that says what it will do, then calls the weather tool, its arguments four characters at a time. */
const callsWeather: StreamPart[] = [
  ...words('I will look at the forecast first.'),
  { type: 'tool-call-start', id: 'call_weather', name: 'weather' },
  ...chunks(weatherArguments, 4).map((argumentsDelta): StreamPart => ({
    type: 'tool-call-delta',
    id: 'call_weather',
    argumentsDelta,
  })),
  {
    type: 'tool-call',
    toolCall: {
      id: 'call_weather',
      name: 'weather',
      arguments: JSON.parse(weatherArguments) as unknown,
      argumentsText: weatherArguments,
      choice: 0,
    },
  },
  { type: 'finish', finishReason: 'tool-calls' },
];

const weather = tool<{ city: string }>({
  description: 'The forecast for a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'array' } }, required: ['city'] },
  needsApproval: true,
  execute: ({ city }) => ({ city, forecast: ['sun', 'sun', 'rain'] }),
});

/** The bodies the chat sent, in order. */
let sent: Array<{ messages: Array<{ role: string; steps?: Array<{ toolCalls?: Array<Record<string, unknown>> }> }> }> =
  [];

/** Answers each request with the next reply, recording what was sent. */
function replies(...answers: StreamPart[][]) {
  sent = [];
  return sse('/api/agent', (request, attempt) => {
    void request
      .clone()
      .json()
      .then((body: (typeof sent)[number]) => sent.push(body));
    return partsStream(answers[Math.min(attempt, answers.length - 1)]!, { delayMs: 25, streamId: `reply-${attempt}` });
  });
}

/** What the chat sent back about the weather call, in the request after it. */
function sentCall() {
  const reply = sent.at(-1)!.messages.at(-1)!;
  return reply.steps?.[0]?.toolCalls?.[0];
}

async function ask(canvasElement: HTMLElement, question: string) {
  const canvas = within(canvasElement);
  await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), `${question}{Enter}`);
  return canvas;
}

export const ApproveATool: Story = {
  name: 'A tool call: streamed arguments, approved, run, answered',
  args: { tools: { weather } },
  beforeEach({ msw }) {
    msw.use(replies(callsWeather, words('Sun on Monday and Tuesday, rain on Wednesday: take an umbrella.')));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'Do I need an umbrella in Paris this week?');
    const card = await canvas.findByRole('region', { name: 'Tool weather' }, { timeout: 5000 });
    // The arguments show as they stream, as JSON that is valid at every step.
    await waitFor(() => expect(card.querySelector('code')!.textContent).toContain('"city": "Paris"'));
    const approve = await within(card).findByRole('button', { name: 'Approve' }, { timeout: 5000 });
    await expect(card.querySelector('code')!.textContent).toBe(JSON.stringify(JSON.parse(weatherArguments), null, 2));
    await expect(canvas.getByRole('article', { name: 'Assistant' }).dataset['status']).toBe('waiting');
    await userEvent.click(approve);
    await waitFor(() => expect(canvas.getByText(/take an umbrella/, { selector: 'p' })).toBeVisible(), {
      timeout: 5000,
    });
    await expect(within(card).getByText('Done')).toBeVisible();
    await expect(sentCall()).toMatchObject({
      id: 'call_weather',
      output: { city: 'Paris', forecast: ['sun', 'sun', 'rain'] },
    });
  },
};

export const DenyATool: Story = {
  name: 'A tool call denied, with a reason the model reads',
  args: { tools: { weather } },
  beforeEach({ msw }) {
    msw.use(replies(callsWeather, words('Understood, I will not look it up.')));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'Weather in Paris?');
    const card = await canvas.findByRole('region', { name: 'Tool weather' }, { timeout: 5000 });
    await userEvent.type(
      await within(card).findByRole('textbox', { name: 'Reason for denying' }, { timeout: 5000 }),
      'Not now.',
    );
    await userEvent.click(within(card).getByRole('button', { name: 'Deny' }));
    await waitFor(() => expect(canvas.getByText(/I will not look it up/, { selector: 'p' })).toBeVisible(), {
      timeout: 5000,
    });
    await expect(within(card).getByText('Denied')).toBeVisible();
    await expect(sentCall()).toMatchObject({
      output: 'The person did not allow this call: Not now.',
      isError: true,
    });
  },
};

export const FailingTool: Story = {
  name: 'A tool that fails: the error shown, and sent to the model',
  args: {
    tools: {
      weather: {
        ...weather,
        needsApproval: false,
        execute: () => {
          throw new Error('The weather service is down.');
        },
      },
    },
  },
  beforeEach({ msw }) {
    msw.use(replies(callsWeather, words('The forecast is unavailable right now, sorry.')));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'Weather in Paris?');
    const card = await canvas.findByRole('region', { name: 'Tool weather' }, { timeout: 5000 });
    await waitFor(
      () => expect(within(card).getByRole('alert').textContent).toBe('The tool failed: The weather service is down.'),
      { timeout: 5000 },
    );
    await waitFor(() => expect(canvas.getByText(/unavailable right now/, { selector: 'p' })).toBeVisible(), {
      timeout: 5000,
    });
    await expect(sentCall()).toMatchObject({ output: 'The tool failed: The weather service is down.', isError: true });
  },
};

export const GenerativeUi: Story = {
  name: 'A tool drawn by the app (generative UI)',
  args: {
    tools: { weather },
    renderTool: {
      weather: (part: ToolCallPart, actions) => (
        <div className="story-weather-card">
          <strong>Forecast for {(part.input as { city?: string } | undefined)?.city ?? '…'}</strong>
          {part.state === 'awaiting-approval' ? (
            <button type="button" onClick={() => actions.approve()}>
              Show the forecast
            </button>
          ) : null}
          {part.state === 'output-available' ? (
            <ul>
              {(part.output as { forecast: string[] }).forecast.map((sky, day) => (
                <li key={day}>{sky}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ),
    },
  },
  beforeEach({ msw }) {
    msw.use(replies(callsWeather, words('There it is.')));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'Forecast?');
    await userEvent.click(await canvas.findByRole('button', { name: 'Show the forecast' }, { timeout: 5000 }));
    await waitFor(
      () => expect(canvas.getAllByRole('listitem').map((item) => item.textContent)).toEqual(['sun', 'sun', 'rain']),
      {
        timeout: 5000,
      },
    );
  },
};

export const ReasoningAndSources: Story = {
  name: 'Reasoning while it thinks, then sources under the answer',
  beforeEach({ msw }) {
    msw.use(
      replies([
        ...chunks('The question is about **tides**. Brest is on the Atlantic, so I should check a tide table.', 6).map(
          (text): StreamPart => ({ type: 'reasoning-delta', text }),
        ),
        {
          type: 'server-tool-call',
          call: { id: 'srv_1', name: 'web_search', input: { query: 'Brest tide times today' } },
        },
        {
          type: 'server-tool-result',
          id: 'srv_1',
          output: [{ url: 'https://tides.example/brest', title: 'Brest tides' }],
        },
        ...words('High tide in Brest is at 06:12 and 18:40.', 1),
        {
          type: 'source',
          block: 1,
          source: { url: 'https://tides.example/brest', title: 'Brest tides', citedText: '06:12' },
        },
      ]),
    );
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'When is high tide in Brest?');
    // The reasoning's own summary, not the chat's "Thinking…" while it connects.
    const summary = await waitFor(
      () => {
        const found = canvasElement.querySelector('.sluice-reasoning summary');
        expect(found?.textContent).toBe('Thinking…');
        return found!;
      },
      { timeout: 5000 },
    );
    await expect(summary.closest('details')!.open).toBe(true);
    await waitFor(() => expect(canvas.getByText(/^Thought for/)).toBeVisible(), { timeout: 5000 });
    await expect(canvas.getByText(/^Thought for/).closest('details')!.open).toBe(false);
    // Running, then done once its result is in.
    await waitFor(() =>
      expect(canvasElement.querySelector('.sluice-server-tool summary')!.textContent).toBe(
        'Searched the web: Brest tide times today',
      ),
    );
    await waitFor(() => expect(canvas.getByRole('link', { name: 'Source 1' })).toBeVisible(), { timeout: 5000 });
    const sources = canvas.getByRole('navigation', { name: 'Sources' });
    await expect(within(sources).getByRole('link', { name: 'Brest tides' })).toHaveAttribute(
      'href',
      'https://tides.example/brest',
    );
  },
};

export const ServerToolWithProgress: Story = {
  name: 'A tool of the server: progress as data, its result, a generated chart',
  args: {
    renderData: {
      progress: (part) => <p className="story-progress">{(part.data as { stage: string }).stage}</p>,
    },
  },
  beforeEach({ msw }) {
    msw.use(
      replies([
        ...words('Let me pull the numbers.'),
        { type: 'tool-call-start', id: 'call_sales', name: 'sales_report' },
        { type: 'tool-call-delta', id: 'call_sales', argumentsDelta: '{"quarter": "Q3"}' },
        {
          type: 'tool-call',
          toolCall: {
            id: 'call_sales',
            name: 'sales_report',
            arguments: { quarter: 'Q3' },
            argumentsText: '{"quarter": "Q3"}',
            choice: 0,
          },
        },
        { type: 'data', name: 'progress', id: 'sales', data: { stage: 'Querying the warehouse…' } },
        { type: 'data', name: 'progress', id: 'sales', data: { stage: 'Summing 12,000 orders…' } },
        { type: 'tool-result', id: 'call_sales', output: { total: 1_204_000 } },
        { type: 'step-start' },
        { type: 'file', mediaType: 'image/svg+xml', url: chartUrl, filename: 'q3.svg' },
        ...words('Q3 sales came to 1.2 million.', 0),
      ]),
    );
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'How did Q3 go?');
    await waitFor(() => expect(canvas.getByText('Summing 12,000 orders…')).toBeVisible(), { timeout: 5000 });
    // Replaced in place by id: one progress line, never two.
    await expect(canvasElement.querySelectorAll('.story-progress')).toHaveLength(1);
    const card = canvas.getByRole('region', { name: 'Tool sales_report' });
    await waitFor(() => expect(within(card).getByText('Done')).toBeVisible(), { timeout: 5000 });
    await waitFor(() => expect(canvas.getByRole('img', { name: 'q3.svg' })).toBeVisible(), { timeout: 5000 });
    await waitFor(
      () =>
        expect(canvas.getByRole('article', { name: 'Assistant' }).textContent).toContain(
          'Q3 sales came to 1.2 million.',
        ),
      { timeout: 5000 },
    );
  },
};

export const Attachments: Story = {
  name: 'Attachments: attach, preview, remove, send',
  beforeEach({ msw }) {
    msw.use(replies(words('A small red square.')));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    const picker = canvasElement.querySelector<HTMLInputElement>('input[type="file"]')!;
    const square = new File([await (await fetch(chartUrl)).blob()], 'square.svg', { type: 'image/svg+xml' });
    const notes = new File(['Not this one.'], 'notes.txt', { type: 'text/plain' });
    await userEvent.upload(picker, [square, notes]);
    const attached = canvas.getByRole('list', { name: 'Attached files' });
    await expect(
      within(attached)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['square.svg×', 'notes.txt×']);
    await userEvent.click(canvas.getByRole('button', { name: 'Remove notes.txt' }));
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'What is in this picture?{Enter}');
    await waitFor(() => expect(canvas.getByText('A small red square.')).toBeVisible(), { timeout: 5000 });
    const question = canvas.getByRole('article', { name: 'You' });
    await expect(within(question).getByRole('img', { name: 'square.svg' })).toBeVisible();
    const [turn] = sent[0]!.messages as Array<{ files?: Array<{ mediaType: string; url: string; filename?: string }> }>;
    await expect(turn!.files).toEqual([
      {
        mediaType: 'image/svg+xml',
        url: expect.stringMatching(/^data:image\/svg\+xml;base64,/),
        filename: 'square.svg',
      },
    ]);
  },
};

/** A small chart, inline: a data: URL, as a generated image arrives. */
const chartUrl = `data:image/svg+xml;base64,${btoa(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#cf222e"/></svg>',
)}`;

/** Text as text deltas, a word at a time, in `block`. */
function words(text: string, block?: number): StreamPart[] {
  return (text.match(/\s*\S+/g) ?? []).map((word) => ({
    type: 'text-delta',
    text: word,
    ...(block === undefined ? {} : { block }),
  }));
}

function chunks(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}
