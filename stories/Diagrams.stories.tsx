import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { mermaid } from '@sluice/react/mermaid';
import { answerStream } from './support/answerStream.js';
import { sse } from './support/sse.js';
import { StreamedAnswer } from './support/StreamedAnswer.js';

const plugins = [mermaid()];

/** A diagram that tries every way a model might run script through mermaid, then one mermaid cannot parse. */
const diagramAnswer = `The request's path:

\`\`\`mermaid
flowchart TD
  A[Browser] -->|POST /api/chat| B(Server)
  B --> C{Model}
  C -->|tokens| B
  B -->|SSE| A
  D["<img src=x onerror=window.sluiceXssRan='img'>"] --> A
  E["<script>window.sluiceXssRan='script'</script>"] --> A
  click A call alert()
  click B "javascript:window.sluiceXssRan='link'"
\`\`\`

And one that is not a diagram:

\`\`\`mermaid
flowchart TD
  A -->
\`\`\`
`;

const meta = {
  title: 'Plugins/Diagrams',
  component: StreamedAnswer,
  args: { question: 'Draw the flow', plugins },
} satisfies Meta<typeof StreamedAnswer>;

export default meta;
type Story = StoryObj<typeof meta>;

export const DiagramStreaming: Story = {
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', () => answerStream(diagramAnswer, 20)));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    const message = canvasElement.querySelector('.sluice-message')!;
    await userEvent.click(canvas.getByRole('button', { name: 'Stream answer' }));
    // While the fence is open the source shows, growing.
    await waitFor(
      () => expect(message.querySelector('.sluice-diagram[data-partial] pre code')?.textContent).toMatch(/Browser/),
      {
        timeout: 20_000,
      },
    );
    await waitFor(() => expect(canvasElement.querySelector('[data-status="done"]')).not.toBeNull(), {
      timeout: 30_000,
    });
    const [drawn, invalid] = [...message.querySelectorAll('.sluice-diagram')];
    // Once it closes, the diagram, drawn by mermaid in the browser.
    await waitFor(() => expect(drawn!.querySelector('.sluice-diagram-view svg')).not.toBeNull(), { timeout: 30_000 });
    const svg = drawn!.querySelector('.sluice-diagram-view svg')!;
    await expect(svg.textContent).toMatch(/Browser/);
    await expect(svg.getBoundingClientRect().height).toBeGreaterThan(50);

    // No script from the model: nothing ran, and nothing inserted could run.
    await expect((window as { sluiceXssRan?: unknown }).sluiceXssRan).toBeUndefined();
    await expect(message.querySelector('script, iframe')).toBeNull();
    const attributes = [...message.querySelectorAll('*')].flatMap((node) => [...node.attributes]);
    await expect(attributes.filter(({ name }) => /^on/i.test(name))).toEqual([]);
    await expect(attributes.filter(({ value }) => /javascript:/i.test(value))).toEqual([]);
    for (const node of svg.querySelectorAll('.node, a')) await userEvent.click(node);
    await expect((window as { sluiceXssRan?: unknown }).sluiceXssRan).toBeUndefined();

    // The source is one click away, and the diagram one more.
    await userEvent.click(within(drawn as HTMLElement).getByRole('button', { name: 'Source' }));
    await expect(drawn!.querySelector('svg')).toBeNull();
    await expect(drawn!.querySelector('pre code')?.textContent).toMatch(/^flowchart TD/);
    await userEvent.click(within(drawn as HTMLElement).getByRole('button', { name: 'Diagram' }));
    await expect(drawn!.querySelector('.sluice-diagram-view svg')).not.toBeNull();

    // A diagram mermaid cannot parse: its message and its source, not mermaid's error picture.
    await waitFor(() => expect(invalid!.querySelector('[role="alert"]')).not.toBeNull(), { timeout: 30_000 });
    await expect(invalid!.querySelector('[role="alert"]')?.textContent).toMatch(/^This diagram could not be drawn: ./);
    await expect(invalid!.querySelector('pre code')?.textContent).toBe('flowchart TD\n  A -->');
    await expect(invalid!.querySelector('svg')).toBeNull();
    await expect(document.body.querySelector(':scope > [id^="dsluice-diagram"], :scope > svg')).toBeNull();
  },
};
