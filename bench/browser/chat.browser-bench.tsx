/*
 * A chat in the system Chromium, production React, measured through the DevTools protocol:
 *   1. with the CPU slowed 4x (a mid-range phone), the long tasks (over 50 ms) while a
 *      30,000-character answer streams at about 1,000 tokens a second;
 *   2. the JavaScript heap, after a forced garbage collection, over 50 replies in one chat: the
 *      same question asked again (Retry) 50 times, and 50 new questions;
 *   3. with the CPU slowed 4x, the main thread's time per frame while a reply streams at the end
 *      of a 2,000-message chat, against the same reply in a 10-message chat.
 * Figures are printed as a table; nothing here asserts a time.
 */
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { cdp, userEvent } from 'vitest/browser';
import { expect, it } from 'vitest';
import { Chat, ChatMessageView, MessageList, useChat } from '@sluice/react';
import type { UseChatResult } from '@sluice/react';
import '@sluice/react/styles.css';
import type { ChatMessageInit, StreamPart } from '@sluice/stream-client';
import { partsStream } from '@sluice/stream-client/testing';
import { codeBlock, longAnswer, paragraph } from '../../packages/react/bench/longAnswer.js';

/**
 * An answer's events, written out before any is sent (so the cost of making them is not the
 * chat's), then sent `perBurst` at a time every `everyMs`: 4 events of about a token every 4 ms
 * is ~1,000 tokens/s.
 */
async function answerEvents(text: string): Promise<string[]> {
  const parts: StreamPart[] = (text.match(/[\s\S]{1,4}/g) ?? []).map((piece) => ({ type: 'text-delta', text: piece }));
  return (await new Response(partsStream(parts)).text()).split(/(?<=\n\n)/);
}

function answer(events: readonly string[], perBurst = 4, everyMs = 4): Response {
  const encoder = new TextEncoder();
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index >= events.length) {
        controller.close();
        return;
      }
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, everyMs));
      controller.enqueue(encoder.encode(events.slice(index, index + perBurst).join('')));
      index += perBurst;
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

/** Mounts a chat whose server answers every message with `reply()`, after the `history` given. */
function mountChat(events: readonly string[], perBurst = 4, history: readonly ChatMessageInit[] = []) {
  let container: HTMLElement | undefined = document.createElement('div');
  container.style.height = '800px';
  container.style.display = 'flex';
  document.body.append(container);
  const root = createRoot(container);
  flushSync(() =>
    root.render(
      <Chat
        url="/api/bench"
        fetch={async () => answer(events, perBurst)}
        retry={false}
        initialMessages={[...history]}
      />,
    ),
  );
  return {
    articles: () => [...container!.querySelectorAll('article')],
    scroller: () => container!.querySelector<HTMLElement>('[role="region"]')!,
    async ask(question: string) {
      await userEvent.fill(container!.querySelector('textarea')!, question);
      await userEvent.keyboard('{Enter}');
      await settled(container!);
    },
    unmount() {
      root.unmount();
      container!.remove();
      // Nothing here keeps the chat's nodes, so the heap after it is what the library keeps.
      container = undefined;
    },
  };
}

/** Until the last reply is done. */
async function settled(container: HTMLElement) {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const last = [...container.querySelectorAll('article')].at(-1);
    if (last?.getAttribute('data-status') === 'done' && last.getAttribute('aria-label') === 'Assistant') return;
  }
}

async function heapAfterCollection(): Promise<number> {
  const session = cdp();
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usedSize;
}

/** Prints figures as lines (the browser's console.table does not reach the terminal). */
function report(figures: Record<string, Record<string, string | number>>) {
  for (const [scenario, values] of Object.entries(figures)) {
    console.log(
      `${scenario}: ${Object.entries(values)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ')}`,
    );
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time by what it was spent on, from a CPU profile: the library's parts, React, the browser. */
function breakdown(profile: CpuProfile): string {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const { functionName, url } = byNode.get(id)!.callFrame;
    const name = /marked/.test(url)
      ? 'marked (lex)'
      : /completeUnfinishedMarkdown|OpenParagraph/.test(url)
        ? 'completion and pieces'
        : /MarkdownBlocks/.test(url)
          ? 'blocks'
          : /react-dom/.test(url)
            ? 'React (reconcile, commit)'
            : /packages\/react\//.test(url)
              ? 'Sluice components'
              : /packages\/stream-client\//.test(url)
                ? 'stream client'
                : functionName === '(garbage collector)'
                  ? 'garbage collection'
                  : functionName === '(program)' || functionName === '(idle)' || url === ''
                    ? functionName === '(idle)'
                      ? 'idle'
                      : 'browser (style, layout, paint)'
                    : `other ${url.split('/').pop()}`;
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const busy = [...totals].filter(([name]) => name !== 'idle').reduce((sum, [, time]) => sum + time, 0);
  return [...totals]
    .filter(([name]) => name !== 'idle')
    .toSorted((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name, time]) => `${name} ${((time / busy) * 100).toFixed(0)}% (${Math.round(time / 1000)} ms)`)
    .join(', ');
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const longText = `${longAnswer(22_000)}${paragraph(5, 4_000)}\n\n${codeBlock(7, 120)}`.slice(0, 30_000);

/** Runs `work` with the CPU slowed 4x, with `during` started before it and stopped after. */
async function throttled<T>(work: () => Promise<void>, during: { start(): Promise<void>; stop(): Promise<T> }) {
  const session = cdp();
  await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await during.start();
  const started = performance.now();
  try {
    await work();
  } finally {
    await session.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, result: await during.stop() };
}

/** Streams the long answer into a chat with the CPU slowed 4x, with `during` running meanwhile. */
async function throttledReply<T>(during: { start(): Promise<void>; stop(): Promise<T> }) {
  const chat = mountChat(await answerEvents(longText));
  const measured = await throttled(() => chat.ask('Explain streaming, at length'), during);
  // The whole answer is there: the figures are of a reply that was rendered, not skipped.
  expect(chat.articles().at(-1)!.textContent!.length).toBeGreaterThan(20_000);
  chat.unmount();
  return measured;
}

/** Records the long tasks between its start and stop, and gives their figures. */
function longTasks() {
  const durations: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) durations.push(entry.duration);
  });
  return {
    start: async () => observer.observe({ type: 'longtask' }),
    async stop() {
      observer.disconnect();
      return {
        'long tasks over 50 ms': durations.length,
        'longest task (ms)': durations.length === 0 ? 0 : Math.round(Math.max(...durations)),
      };
    },
  };
}

it('long tasks with the CPU slowed 4x, while a 30,000-character answer streams', async () => {
  // Figures only from a browser that reports long tasks: none counted would otherwise read as none.
  expect(PerformanceObserver.supportedEntryTypes).toContain('longtask');
  const { seconds, result } = await throttledReply(longTasks());
  report({
    'CPU 4x slower, 30,000 characters at ~1,000 tokens/s': { 'reply took (s)': seconds.toFixed(1), ...result },
  });
});

/**
 * Streams the long answer's text, at the chat's rate, into a scroller that follows it, with the
 * CPU slowed 4x: `show` puts each frame's new text in the scroller, without markdown or React.
 * Whatever long tasks such a floor has are the browser's, not a renderer's.
 */
async function floorLongTasks(show: (scroller: HTMLElement, text: string) => void) {
  expect(PerformanceObserver.supportedEntryTypes).toContain('longtask');
  const events = await answerEvents(longText);
  const scroller = document.createElement('div');
  scroller.style.cssText = 'height: 800px; overflow-y: auto; font: 16px/1.55 sans-serif';
  document.body.append(scroller);
  const measured = await throttled(async () => {
    const reader = answer(events).body!.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    let frame = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // The text of each event's data, shown once a frame, as the chat shows it.
      for (const match of value.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)) pending += JSON.parse(`"${match[1]}"`);
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          show(scroller, pending);
          pending = '';
          scroller.scrollTop = scroller.scrollHeight;
        });
      }
    }
  }, longTasks());
  scroller.remove();
  return { ...measured, scroller };
}

/** A block that keeps its text's line breaks, as a <pre> does. */
function textBlock(): HTMLElement {
  const block = document.createElement('div');
  block.style.whiteSpace = 'pre-wrap';
  return block;
}

/** The floor: the text appended to one plain <pre>, which lays out all of it again every frame. */
it('long tasks of the floor, a plain growing text, with the CPU slowed 4x', async () => {
  const text = document.createElement('pre');
  text.style.whiteSpace = 'pre-wrap';
  const { seconds, result } = await floorLongTasks((scroller, added) => {
    if (text.parentNode === null) scroller.append(text);
    text.append(added);
  });
  expect(text.textContent!.length).toBeGreaterThan(25_000);
  report({
    'floor: a plain <pre>, CPU 4x slower, the same text at the same rate': {
      'reply took (s)': seconds.toFixed(1),
      ...result,
    },
  });
});

/**
 * A second floor: the text in a block per paragraph (split at blank lines), as a markdown renderer
 * lays it out, so that a frame lays out the paragraph being written and not all the text before it.
 */
it('long tasks of a floor laid out in blocks, a paragraph each, with the CPU slowed 4x', async () => {
  let block: HTMLElement | undefined;
  const { seconds, result, scroller } = await floorLongTasks((into, added) => {
    const paragraphs = added.split('\n\n');
    if (block === undefined) into.append((block = textBlock()));
    block.append(paragraphs[0]!);
    for (const next of paragraphs.slice(1)) {
      block = textBlock();
      block.append(next);
      into.append(block);
    }
  });
  expect(scroller.childElementCount).toBeGreaterThan(50);
  report({
    'floor in blocks: a block per paragraph, CPU 4x slower, the same text at the same rate': {
      'reply took (s)': seconds.toFixed(1),
      ...result,
    },
  });
});

it('where the time goes, CPU slowed 4x, while the same answer streams', async () => {
  const session = cdp();
  const { result } = await throttledReply({
    async start() {
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 500 });
      await session.send('Profiler.start');
    },
    async stop() {
      return ((await session.send('Profiler.stop')) as { profile: CpuProfile }).profile;
    },
  });
  // A profile that sampled the reply throughout, not one that missed it.
  expect(result.samples.length).toBeGreaterThan(1_000);
  console.log(`where the time went (self time, CPU 4x slower): ${breakdown(result)}`);
});

/** A chat as `Chat` lays it out, driven through `useChat`, for replies asked again in place. */
function mountRegenerating(events: readonly string[], perBurst = 16) {
  let container: HTMLElement | undefined = document.createElement('div');
  container.style.height = '800px';
  container.style.display = 'flex';
  document.body.append(container);
  const root = createRoot(container);
  let chat: UseChatResult | undefined;
  function Regenerating() {
    chat = useChat({ url: '/api/bench', fetch: async () => answer(events, perBurst), retry: false });
    return (
      <MessageList contentKey={chat.messages.at(-1)}>
        {chat.messages.map((message) => (
          <ChatMessageView key={message.id} message={message} />
        ))}
      </MessageList>
    );
  }
  flushSync(() => root.render(<Regenerating />));
  return {
    articles: () => [...container!.querySelectorAll('article')],
    chat: () => chat!,
    unmount() {
      root.unmount();
      container!.remove();
      container = undefined;
      chat = undefined;
    },
  };
}

it('the heap over 50 replies in one chat', async () => {
  const reply = await answerEvents(longAnswer(3_000));
  const figures: Record<string, Record<string, string>> = {};

  // The same question answered again 50 times: the chat holds one question and one answer throughout.
  const again = mountRegenerating(reply);
  await again.chat().send('Once more');
  const againFirst = await heapAfterCollection();
  for (let count = 2; count <= 50; count++) await again.chat().regenerate();
  const againFiftieth = await heapAfterCollection();
  expect(again.articles()).toHaveLength(2);
  again.unmount();
  figures['the answer asked again 50 times (2 messages kept)'] = {
    'heap after the 1st': kib(againFirst),
    'heap after the 50th': kib(againFiftieth),
    change: `${(((againFiftieth - againFirst) / againFirst) * 100).toFixed(1)}%`,
  };

  // 50 new questions: the conversation keeps every one, so the heap grows by what it holds.
  const growing = mountChat(reply, 16);
  await growing.ask('Question 1');
  const growingFirst = await heapAfterCollection();
  for (let count = 2; count <= 50; count++) await growing.ask(`Question ${count}`);
  const growingFiftieth = await heapAfterCollection();
  expect(growing.articles()).toHaveLength(100);
  growing.unmount();
  const afterUnmount = await heapAfterCollection();
  figures['50 new questions (100 messages kept)'] = {
    'heap after the 1st': kib(growingFirst),
    'heap after the 50th': kib(growingFiftieth),
    change: `${(((growingFiftieth - growingFirst) / growingFirst) * 100).toFixed(1)}%`,
    'kept per reply': kib((growingFiftieth - growingFirst) / 49),
    'after the chat unmounts': kib(afterUnmount),
  };
  report(figures);
});

/** A settled conversation of `count` messages: questions, and answers of one to a few paragraphs, some with code. */
function conversation(count: number): ChatMessageInit[] {
  return Array.from({ length: count }, (_, index) =>
    index % 2 === 0
      ? {
          id: `history-${index}`,
          role: 'user',
          content: `Question ${index}: ${paragraph(index, 60 + (index % 4) * 40)}`,
        }
      : {
          id: `history-${index}`,
          role: 'assistant',
          content: `${paragraph(index, 200 + (index % 5) * 150)}${index % 7 === 1 ? `\n\n${codeBlock(index, 6)}` : ''}`,
        },
  );
}

/** DevTools' running totals of the main thread's work, in seconds. */
async function mainThreadTotals(): Promise<Record<string, number>> {
  const { metrics } = (await cdp().send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(metrics.map(({ name, value }) => [name, value]));
}

/**
 * The main thread's work per frame while `work` runs: all of it (script, style, layout, paint and
 * the rest of each task) and the style, layout and script parts, in milliseconds.
 */
function costPerFrame() {
  const session = cdp();
  let before: Record<string, number> = {};
  let frames = 0;
  let counting = false;
  const count = () => {
    frames++;
    if (counting) requestAnimationFrame(count);
  };
  return {
    async start() {
      await session.send('Performance.enable');
      before = await mainThreadTotals();
      counting = true;
      requestAnimationFrame(count);
    },
    async stop() {
      counting = false;
      const after = await mainThreadTotals();
      const perFrame = (name: string) => ((after[name]! - before[name]!) * 1000) / frames;
      return {
        frames,
        all: perFrame('TaskDuration'),
        style: perFrame('RecalcStyleDuration'),
        layout: perFrame('LayoutDuration'),
        script: perFrame('ScriptDuration'),
      };
    },
  };
}

/** Undoes the stylesheet's content-visibility on settled messages: every message laid out and painted, as before. */
function everyMessageRendered(): () => void {
  const style = document.createElement('style');
  style.textContent =
    '.sluice-message-list-content > * { content-visibility: visible !important; contain-intrinsic-size: none !important; }';
  document.head.append(style);
  return () => style.remove();
}

it('cost per frame of a reply streaming after 2,000 messages, against after 10, CPU slowed 4x', async () => {
  const reply = await answerEvents(longAnswer(2_000));
  const thousands = conversation(2_000);
  const few = conversation(10);
  type Cost = Awaited<ReturnType<ReturnType<typeof costPerFrame>['stop']>>;
  const costs = new Map<string, Cost[]>();
  // Rounds alternate the four cases, so a noisy moment on the machine does not fall on one case only.
  for (let round = 0; round < 3; round++) {
    for (const [name, history, rendered] of [
      ['10 messages', few, false],
      ['2,000 messages', thousands, false],
      ['10 messages, every message rendered', few, true],
      ['2,000 messages, every message rendered', thousands, true],
    ] as const) {
      const restore = rendered ? everyMessageRendered() : () => {};
      const chat = mountChat(reply, 4, history);
      // The history laid out and shown at the bottom, and the views of parts loaded, before measuring.
      for (let frame = 0; frame < 10; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
      const scroller = chat.scroller();
      expect(scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop).toBeLessThanOrEqual(1);
      const { result } = await throttled(() => chat.ask('One more question'), costPerFrame());
      expect(chat.articles()).toHaveLength(history.length + 2);
      // It followed the reply to its end.
      expect(scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop).toBeLessThanOrEqual(1);
      chat.unmount();
      restore();
      costs.set(name, [...(costs.get(name) ?? []), result]);
    }
  }
  const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const figures: Record<string, Record<string, string | number>> = {};
  const medians = new Map<string, Cost>();
  for (const [name, runs] of costs) {
    const cost = {
      frames: median(runs.map((run) => run.frames)),
      all: median(runs.map((run) => run.all)),
      style: median(runs.map((run) => run.style)),
      layout: median(runs.map((run) => run.layout)),
      script: median(runs.map((run) => run.script)),
    };
    medians.set(name, cost);
    figures[`${name}, per frame (median of 3)`] = {
      'main thread (ms)': cost.all.toFixed(2),
      'style (ms)': cost.style.toFixed(2),
      'layout (ms)': cost.layout.toFixed(2),
      'script (ms)': cost.script.toFixed(2),
      frames: cost.frames,
    };
  }
  const ratio = (many: string, some: string) => (medians.get(many)!.all / medians.get(some)!.all).toFixed(2);
  figures['2,000 messages against 10'] = {
    'settled messages off-screen skipped (the stylesheet)': `${ratio('2,000 messages', '10 messages')}x`,
    'every message rendered': `${ratio('2,000 messages, every message rendered', '10 messages, every message rendered')}x`,
    goal: 'within 1.5x',
  };
  report(figures);
});
