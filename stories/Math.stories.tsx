import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { math } from '@sluice/react/math';
import 'katex/dist/katex.min.css';
import { answerStream } from './support/answerStream.js';
import { sse } from './support/sse.js';
import { StreamedAnswer } from './support/StreamedAnswer.js';

const plugins = [math()];

/** An answer heavy in math, with prices that must stay text and TeX that emphasis would take apart. */
const mathHeavyAnswer = `## The variance

For samples $x_1, \\dots, x_n$ with mean $\\bar{x} = \\frac{1}{n}\\sum_{i=1}^n x_i$, the sample variance is

$$
s^2 = \\frac{1}{n-1} \\sum_{i=1}^{n} \\left( x_i - \\bar{x} \\right)^2
$$

and the optimum $x^*$ minimises $f(x) = a_1 x^2 + b_2 x$. In the other notation, \\(\\sigma_*^2\\) is the same, and

\\[
\\mathbb{E}\\left[ X \\right] = \\int_{-\\infty}^{\\infty} x \\, p(x) \\, dx
\\]

A course costs $5 and a book costs $10, so both cost $15.
Escaped dollars stay dollars: \\$x\\$.
`;

/** Formulas in the answer, each to render with KaTeX once it is closed. */
const FORMULAS = 7;

const meta = {
  title: 'Plugins/Math',
  component: StreamedAnswer,
  args: { question: 'Explain the variance', plugins },
} satisfies Meta<typeof StreamedAnswer>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * Text a person sees outside formulas that is a formula's raw source: a `$` followed by something
 * other than a digit (a price) or a space.
 */
function rawFormulaText(message: Element): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(message, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const parent = node.parentElement!;
    if (parent.closest('.sluice-math, .sluice-visually-hidden') !== null) continue;
    const text = node.textContent ?? '';
    for (const match of text.matchAll(/(?<!\\)\$[^\d\s]/g)) found.push(text.slice(match.index, match.index + 12));
  }
  return found;
}

export const MathHeavyAnswer: Story = {
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', () => answerStream(mathHeavyAnswer, 15)));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    const message = canvasElement.querySelector('.sluice-message')!;
    // Every commit while it streams: no KaTeX error, no raw formula source as text.
    const errors: string[] = [];
    const raw: string[] = [];
    let sawSource = false;
    const observer = new MutationObserver(() => {
      if (message.querySelector('.katex-error') !== null) errors.push(message.innerHTML.slice(-200));
      raw.push(...rawFormulaText(message));
      sawSource ||= message.querySelector('.sluice-math-display .sluice-math-source') !== null;
    });
    observer.observe(message, { subtree: true, childList: true, characterData: true });
    await userEvent.click(canvas.getByRole('button', { name: 'Stream answer' }));
    await waitFor(() => expect(canvasElement.querySelector('[data-status="done"]')).not.toBeNull(), {
      timeout: 30_000,
    });
    await waitFor(() => expect(message.querySelectorAll('.katex')).toHaveLength(FORMULAS), { timeout: 10_000 });
    observer.disconnect();

    await expect(errors).toEqual([]);
    await expect(raw).toEqual([]);
    // The displayed formula showed as its source in the math font while it was written.
    await expect(sawSource).toBe(true);
    await expect(message.querySelectorAll('.katex-display')).toHaveLength(2);
    await expect(message.querySelector('.sluice-math-source')).toBeNull();
    // Prices and escaped dollars stay text; no emphasis was made from a formula's * or _.
    await expect([...message.querySelectorAll('p')].at(-1)?.textContent).toBe(
      'A course costs $5 and a book costs $10, so both cost $15.\nEscaped dollars stay dollars: $x$.',
    );
    await expect(message.querySelector('em, strong')).toBeNull();
    // KaTeX's stylesheet is in: the MathML copy is hidden, and the formula is drawn in KaTeX's fonts.
    const mathml = message.querySelector('.katex-mathml')!;
    await expect(getComputedStyle(mathml).position).toBe('absolute');
  },
};

export const InvalidAndHostileFormulas: Story = {
  beforeEach({ msw }) {
    msw.use(
      sse('/api/answer', () =>
        answerStream(
          'Broken: $\\frac{1}{$ and a link $\\href{javascript:window.sluiceXssRan=1}{click}$ and $\\htmlClass{evil}{x}$ and $\\text{<script>window.sluiceXssRan=2</script>}$.\n',
          10,
        ),
      ),
    );
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    const message = canvasElement.querySelector('.sluice-message')!;
    await userEvent.click(canvas.getByRole('button', { name: 'Stream answer' }));
    await waitFor(() => expect(message.querySelectorAll('.katex')).toHaveLength(3), { timeout: 20_000 });
    // The formula KaTeX cannot parse is its source, with KaTeX's message as its title.
    const source = message.querySelector('.sluice-math-source')!;
    await expect(source.textContent).toBe('\\frac{1}{');
    await expect(source.getAttribute('title')).toMatch(/KaTeX parse error/);
    await expect(message.querySelector('.katex-error, a, script, .evil')).toBeNull();
    await expect((window as { sluiceXssRan?: unknown }).sluiceXssRan).toBeUndefined();
  },
};
