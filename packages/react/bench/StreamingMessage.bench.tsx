// @vitest-environment jsdom
/*
 * The cost of one streaming update (4 more characters) of StreamingMessage against streamdown,
 * which memoises blocks too, side by side in one run with production React: at 1,000 characters
 * of a long answer and at the same place of sections like it near 35,000 and 69,000, and while the
 * answer ends in an open 5,000-character code block or paragraph. A renderer that redoes the whole
 * answer, or the whole open block, per update pays more the longer it gets; StreamingMessage
 * should pay the same at every length.
 */
import { flushSync } from 'react-dom';
import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { Streamdown } from 'streamdown';
import { bench, describe } from 'vitest';
import { StreamingMessage } from '../src/components/StreamingMessage.js';
import { codeBlock, longAnswer, paragraph } from './longAnswer.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
// streamdown scrolls its code blocks in an animation frame; jsdom has no layout, so no scrollTo.
Element.prototype.scrollTo ??= () => {};

const STEP = 4;
// Enough updates that the odd garbage-collection pause does not decide the mean.
const UPDATES = 600;
// Warmed up first, long enough for the engine's optimising compiler to have run: with 40 updates,
// the first scenario measured cost three times what the same scenario cost later in the run.
const options = { iterations: UPDATES, time: 0, warmupIterations: 200, warmupTime: 0 };

const answer = longAnswer(80_000);
/**
 * Where to stream from at each length: the same place (1,000 characters in) of sections built
 * alike (every sixth section has the same blocks: code of the same length, the same kind of table),
 * so that what differs between the lengths is the length, not which block the tail happens to be.
 */
const sameBlocksAt = (section: number) => answer.indexOf(`## Part ${section + 1}:`) + 1_000;
const lengths = [0, 12, 24].map(sameBlocksAt);
/** The answer so far ends inside a code block that has reached 5,000 characters and goes on. */
const openCode = `${longAnswer(30_000)}${codeBlock(99, 200).slice(0, 7_000)}`;
const openCodeStart = openCode.length - 2_000;
/** The answer so far ends inside a paragraph that has reached 5,000 characters and goes on. */
const openParagraph = `${longAnswer(30_000)}${paragraph(99, 7_000)}`;
const openParagraphStart = openParagraph.length - 2_000;

/**
 * A benchmark of one renderer streaming `text` from `start`: its root is made and shows the text
 * up to `start` before timing begins, each timed call renders `STEP` characters more, and the
 * root is unmounted after, so no renderer's leftover effects run during another's turn.
 */
function streamed(render: (content: string) => ReactNode, text: string, start: number) {
  let root: Root | undefined;
  let end = start;
  return [
    async () => {
      // Updates come from network events, each in a task of its own: what a renderer leaves for
      // later (effects, their updates) runs between them. Back to back in one task, streamdown's
      // code blocks reach React's nested-update limit near 61,000 characters.
      await new Promise((resolve) => setImmediate(resolve));
      end += STEP;
      flushSync(() => root!.render(render(text.slice(0, end))));
    },
    {
      ...options,
      async setup() {
        const container = document.createElement('div');
        root = createRoot(container);
        end = start;
        // The first render as an app's would be, not forced synchronous: streamdown's effects,
        // one per block, pass React's nested-update limit when 60,000 characters mount in a flushSync.
        root.render(render(text.slice(0, end)));
        while (container.textContent === '') await new Promise((resolve) => setTimeout(resolve, 20));
        // And its effects' own updates settle before the first timed one.
        await new Promise((resolve) => setTimeout(resolve, 200));
      },
      teardown() {
        root?.unmount();
      },
    },
  ] as const;
}

const streamingMessage = (content: string) => <StreamingMessage content={content} streaming />;
const streamdown = (content: string) => <Streamdown isAnimating>{content}</Streamdown>;

/**
 * Both renderers stream every kind of scenario once before anything is timed. Without it, the
 * first scenario of the file paid for compiling React and the renderer: StreamingMessage measured
 * near 1,000 characters there cost 2.7 times what the same scenario cost at the end of the same
 * run, which made the shortest length look the closest race.
 */
async function warmUp() {
  for (const render of [streamingMessage, streamdown]) {
    for (const [text, start] of [
      [answer, sameBlocksAt(0)],
      [openCode, openCodeStart],
      [openParagraph, openParagraphStart],
    ] as const) {
      const [update, { setup, teardown }] = streamed(render, text, start);
      await setup();
      for (let step = 0; step < 400; step++) await update();
      teardown();
    }
  }
}
await warmUp();

const scenarios: [string, string, number][] = [
  ...lengths.map((start): [string, string, number] => [`at ${start.toLocaleString('en')} characters`, answer, start]),
  ['inside an open 5,000-character code block, 35,000 in all', openCode, openCodeStart],
  ['inside an open 5,000-character paragraph, 35,000 in all', openParagraph, openParagraphStart],
];

for (const [name, text, start] of scenarios) {
  describe(`one update ${name}`, () => {
    bench('StreamingMessage', ...streamed(streamingMessage, text, start));
    bench('streamdown', ...streamed(streamdown, text, start));
  });
}

describe('StreamingMessage: one update at each length, against at 1,000 characters', () => {
  for (const [name, text, start] of scenarios) bench(name, ...streamed(streamingMessage, text, start));
});
