import { providerEvents, streamBlocks, tokenize } from '@sluice/stream-client/testing';

/**
 * An OpenAI-format answer as a stream: `tokensPerChunk` tokens to a chunk, `delayMs` before each,
 * ending early if `signal` aborts (a bursty provider is many tokens to a chunk and a long delay).
 */
export function answerStream(text: string, delayMs: number, tokensPerChunk = 1, signal?: AbortSignal) {
  const blocks = providerEvents('openai', { text: tokenize(text) });
  const chunks: string[] = [];
  for (let index = 0; index < blocks.length; index += tokensPerChunk)
    chunks.push(blocks.slice(index, index + tokensPerChunk).join(''));
  return streamBlocks(chunks, delayMs, signal);
}
