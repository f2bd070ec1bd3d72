/**
 * The highlight worker's entry: shiki tokenizing code blocks off the main thread, so that compiling
 * a grammar's patterns (hundreds of milliseconds on a slow phone) never blocks the page. Built as
 * a file of its own beside `CodeHighlighter.js`, which starts it with
 * `new Worker(new URL('./highlightWorker.js', import.meta.url), { type: 'module' })`, the form
 * bundlers recognise and bundle as a worker.
 *
 * @packageDocumentation
 */
import { BlockTokenizer } from './BlockTokenizer.js';
import type { TokenizerReply, TokenizerRequest } from './TokenizerRequest.js';

/** The worker's global scope, as far as it is used: the package's types know `self` as a window. */
const scope = self as unknown as {
  postMessage(reply: TokenizerReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<TokenizerRequest>) => void): void;
};

// oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's has no origin
const tokenizer = new BlockTokenizer((reply) => scope.postMessage(reply));
scope.addEventListener('message', (event) => tokenizer.receive(event.data));
