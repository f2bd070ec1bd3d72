// @vitest-environment jsdom
/*
 * The cost of one streaming update (about 4 more characters) near 2,000 and near 30,000
 * characters of a long answer: StreamingMessage against react-markdown and against
 * marked.parse + innerHTML, side by side in one run. A renderer that re-parses and re-renders
 * everything pays more per update the longer the answer; StreamingMessage should not.
 */
import { marked } from 'marked';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import Markdown from 'react-markdown';
import { bench, describe } from 'vitest';
import { StreamingMessage } from '../src/components/StreamingMessage.js';
import { longAnswer } from './longAnswer.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

const document = longAnswer();
const STEP = 4;
// Enough updates that the odd garbage-collection pause does not decide the mean.
const UPDATES = 300;
const options = { iterations: UPDATES, time: 0, warmupIterations: 0, warmupTime: 0 };

/** Each call renders the next prefix, `STEP` characters on, starting at `start`. */
function streamFrom(start: number, render: (content: string) => void): () => void {
  let end = start;
  render(document.slice(0, end));
  return () => {
    end += STEP;
    render(document.slice(0, end));
  };
}

function streamingMessage(start: number) {
  const root = createRoot(globalThis.document.createElement('div'));
  return streamFrom(start, (content) => flushSync(() => root.render(<StreamingMessage content={content} streaming />)));
}

function reactMarkdown(start: number) {
  const root = createRoot(globalThis.document.createElement('div'));
  return streamFrom(start, (content) => flushSync(() => root.render(<Markdown>{content}</Markdown>)));
}

function markedInnerHtml(start: number) {
  const element = globalThis.document.createElement('div');
  return streamFrom(start, (content) => {
    element.innerHTML = marked.parse(content, { async: false });
  });
}

describe('one update near 30,000 characters', () => {
  bench('StreamingMessage', streamingMessage(30_000), options);
  bench('react-markdown', reactMarkdown(30_000), options);
  bench('marked.parse + innerHTML', markedInnerHtml(30_000), options);
});

describe('one update near 2,000 characters', () => {
  bench('StreamingMessage', streamingMessage(2_000), options);
  bench('react-markdown', reactMarkdown(2_000), options);
  bench('marked.parse + innerHTML', markedInnerHtml(2_000), options);
});

describe('StreamingMessage: one update near 30,000 against near 2,000 characters', () => {
  bench('near 30,000', streamingMessage(30_000), options);
  bench('near 2,000', streamingMessage(2_000), options);
});
