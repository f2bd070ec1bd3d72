/*
 * Highlighting a streaming code block, in the system Chromium with React's production build:
 *   1. the cost of an update (render, commit, layout, and the highlighted lines that came back from
 *      the worker meanwhile) while a 300-line TypeScript block streams, with highlight() and
 *      without, shiki already loaded: the ratio of the two;
 *   2. with the CPU slowed 4x, the long tasks (over 50 ms) while the same block streams at about
 *      1,000 tokens a second, with and without highlight() (loaded by the block itself, as on a
 *      page's first code block).
 * Figures are printed; nothing here asserts a time.
 */
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { cdp } from 'vitest/browser';
import { expect, it } from 'vitest';
import { StreamingMessage } from '@sluice/react';
import type { MarkdownPlugin } from '@sluice/react';
import { highlight } from '@sluice/react/highlight';
import '@sluice/react/styles.css';

/** A TypeScript block of `count` lines, as a model writes one: methods, comments, strings, templates. */
function codeAnswer(count: number): string {
  const lines = ['export class Inventory {', '  private readonly items = new Map<string, number>();'];
  for (let index = 0; lines.length < count - 1; index++) {
    lines.push(
      `  /** Adds ${index} of an item, or more. */`,
      `  add${index}(name: string, amount = ${index}): number {`,
      `    const total = (this.items.get(name) ?? 0) + amount; // "${index}"`,
      `    this.items.set(\`\${name}-${index}\`, total);`,
      '    return total;',
      '  }',
    );
  }
  lines.push('}');
  return `Here it is:\n\n\`\`\`ts\n${lines.join('\n')}\n\`\`\`\n`;
}

const text = codeAnswer(300);
const lineCount = text.split('```ts\n')[1]!.split('\n```')[0]!.split('\n').length;
/** About 4 tokens of code per update. */
const STEP = 16;

function mount() {
  const container = document.createElement('div');
  container.style.cssText = 'width: 800px; height: 800px; overflow-y: auto; font: 16px/1.55 sans-serif';
  document.body.append(container);
  const root = createRoot(container);
  return {
    container,
    render(content: string, streaming: boolean, plugins: MarkdownPlugin[] | undefined, sync = true) {
      const element = <StreamingMessage content={content} streaming={streaming} plugins={plugins} />;
      if (sync) flushSync(() => root.render(element));
      else root.render(element);
    },
    unmount() {
      root.unmount();
      container.remove();
    },
  };
}

const highlightedLines = (container: HTMLElement) => container.querySelectorAll('pre code > span > span > span').length;

/** A task boundary without a timer's clamping: what arrived meanwhile (the worker's lines) is handled in it. */
function nextTask() {
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.addEventListener('message', () => resolve(), { once: true });
    channel.port1.start();
    channel.port2.postMessage(undefined);
  });
}

/**
 * Streams the answer `STEP` characters an update, each rendered and laid out at once, then a task
 * boundary, in which lines that come back from the highlight worker are rendered too (with and
 * without highlight(), so the boundary costs both the same); gives the mean cost.
 */
async function perUpdate(
  plugins: MarkdownPlugin[] | undefined,
  container: HTMLElement,
  render: ReturnType<typeof mount>['render'],
) {
  let updates = 0;
  const started = performance.now();
  for (let end = STEP; end < text.length + STEP; end += STEP) {
    render(text.slice(0, end), end < text.length, plugins);
    void container.scrollHeight;
    await nextTask();
    updates++;
  }
  return { updates, mean: (performance.now() - started) / updates };
}

it('the cost of an update while a 300-line code block streams, with highlight() and without', async () => {
  const plugins = [highlight()];
  // Shiki and the grammar loaded first: the figure is of streaming, not of loading.
  const warm = mount();
  warm.render('```ts\nconst a = 1;\nlet b = `x`;\n```\n', false, plugins);
  await expect.poll(() => highlightedLines(warm.container), { timeout: 60_000 }).toBe(2);
  warm.unmount();

  const figures: Record<string, number> = {};
  for (let round = 0; round < 2; round++) {
    for (const [name, chosen] of [
      ['plain', undefined],
      ['highlighted', plugins],
    ] as const) {
      const view = mount();
      const { updates, mean } = await perUpdate(
        chosen === undefined ? undefined : [...chosen],
        view.container,
        view.render,
      );
      // The last lines come back from the worker after the last update.
      if (chosen !== undefined) await expect.poll(() => highlightedLines(view.container)).toBe(lineCount);
      view.unmount();
      // The better of two rounds: the first also warms the JIT.
      figures[name] = Math.min(figures[name] ?? Infinity, mean);
      figures.updates = updates;
    }
  }
  console.log(
    `${lineCount}-line block, ${figures.updates} updates of ${STEP} characters: plain ${figures.plain!.toFixed(3)} ms per update, highlighted ${figures.highlighted!.toFixed(3)} ms per update, ratio ${(figures.highlighted! / figures.plain!).toFixed(2)}x`,
  );
});

/** Streams the answer at about 1,000 tokens a second (16 characters every 4 ms), rendered as an app would. */
async function streamed(plugins: MarkdownPlugin[] | undefined) {
  const view = mount();
  for (let end = STEP; end < text.length + STEP; end += STEP) {
    view.render(text.slice(0, end), end < text.length, plugins, false);
    await new Promise((resolve) => setTimeout(resolve, 4));
  }
  return view;
}

it('long tasks with the CPU slowed 4x while a 300-line code block streams, with highlight() and without', async () => {
  expect(PerformanceObserver.supportedEntryTypes).toContain('longtask');
  const session = cdp();
  const figures: string[] = [];
  for (const [name, plugins] of [
    ['plain', undefined],
    ['highlighted (shiki loaded by the block)', [highlight()]],
  ] as const) {
    const tasks: { start: number; duration: number }[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
    });
    // When the first line showed highlighted: the long tasks before it are shiki loading, not streaming.
    let firstHighlighted = Infinity;
    const watcher = new MutationObserver(() => {
      if (firstHighlighted === Infinity && document.querySelector('pre code > span > span > span') !== null)
        firstHighlighted = performance.now();
    });
    watcher.observe(document.body, { childList: true, subtree: true });
    await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    observer.observe({ type: 'longtask' });
    const started = performance.now();
    const view = await streamed(plugins === undefined ? undefined : [...plugins]);
    if (plugins !== undefined) {
      await expect.poll(() => highlightedLines(view.container), { timeout: 120_000 }).toBe(lineCount);
    }
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    watcher.disconnect();
    await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    view.unmount();
    const loading = tasks.filter((task) => task.start < firstHighlighted).map((task) => task.duration);
    const streaming = tasks.filter((task) => task.start >= firstHighlighted).map((task) => task.duration);
    const describe = (durations: number[]) =>
      `${durations.length} (longest ${Math.round(Math.max(0, ...durations))} ms)`;
    figures.push(
      `${name}: took ${seconds.toFixed(1)} s, long tasks over 50 ms ${describe(tasks.map((task) => task.duration))}` +
        (plugins === undefined
          ? ''
          : `, of which until the first line showed highlighted ${describe(loading)}, after it ${describe(streaming)}`),
    );
  }
  console.log(`CPU 4x slower, 300-line block at ~1,000 tokens/s: ${figures.join('; ')}`);
});
