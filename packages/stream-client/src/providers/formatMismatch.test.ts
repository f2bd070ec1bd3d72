import { describe, expect, it } from 'vitest';
import { createSSEParser } from '../sse/createSSEParser.js';
import { providerEvents } from '../testing/providerEvents.js';
import { createDecoder } from './createDecoder.js';
import type { ProviderFormat } from './Decoder.js';
import { DecoderError } from './DecoderError.js';
import type { StreamPart } from './StreamPart.js';

const formats: ProviderFormat[] = ['openai', 'openai-responses', 'anthropic', 'sluice'];
const pairs = formats.flatMap((expected) =>
  formats.filter((sent) => sent !== expected).map((sent) => [expected, sent] as const),
);

describe('a decoder given another format', () => {
  it.each(pairs)('as %s, fails at the first event of a %s stream, naming the provider to use', (expected, sent) => {
    const decoder = createDecoder(expected);
    const parts: StreamPart[] = [];
    let thrown: unknown;
    let at = -1;
    const parser = createSSEParser({ onEvent: (event) => decoder.decode(event, (part) => parts.push(part)) });
    for (const [index, block] of providerEvents(sent, { text: 'An answer in the wrong format.' }).entries()) {
      try {
        parser.feed(block);
      } catch (error) {
        thrown = error;
        at = index;
        break;
      }
    }
    expect(thrown).toBeInstanceOf(DecoderError);
    expect(thrown).toMatchObject({ kind: 'protocol', retryable: false });
    expect((thrown as Error).message).toContain(`use provider '${sent}' or 'auto'`);
    expect(at).toBe(0);
    expect(parts).toEqual([]);
  });
});

describe('an error event in a Chat Completions stream', () => {
  it('is the provider’s error, not a sign of the sluice protocol (Groq names it `event: error`)', () => {
    const stream =
      'data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\n' +
      'event: error\ndata: {"error":{"message":"Tool call validation failed","type":"invalid_request_error","code":"tool_use_failed"}}\n\n';
    for (const provider of ['openai', 'auto'] as const) {
      const parts: StreamPart[] = [];
      const decoder = createDecoder(provider);
      createSSEParser({ onEvent: (event) => decoder.decode(event, (part) => parts.push(part)) }).feed(stream);
      expect(parts.at(-1)).toMatchObject({
        type: 'error',
        message: 'Tool call validation failed',
        errorType: 'invalid_request_error',
      });
    }
  });
});
