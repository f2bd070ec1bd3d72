import { describe, expect, it } from 'vitest';
import { describeStreamError } from './describeStreamError.js';
import { StreamError } from './StreamError.js';
import type { StreamErrorDetails } from './StreamError.js';
import type { StreamResult } from './StreamResult.js';

const empty: StreamResult = {
  text: '',
  reasoning: '',
  refusal: '',
  choices: [{ text: '' }],
  toolCalls: [],
  serverToolCalls: [],
  toolRequests: [],
  sources: [],
  metrics: {
    timeToFirstTokenMs: undefined,
    durationMs: 0,
    tokensPerSecond: undefined,
    longestGapMs: 0,
    chunks: 0,
    bytes: 0,
    attempts: 1,
  },
};

function error(details: Partial<StreamErrorDetails> & Pick<StreamErrorDetails, 'kind'>, message = 'detail') {
  return new StreamError(message, { retryable: false, partial: empty, ...details });
}

describe('describeStreamError', () => {
  it('says in a plain sentence where a connection was lost, without the runtime detail', () => {
    const cut = error(
      { kind: 'network', relayed: true, partial: { ...empty, text: 'Half' } },
      'terminated (other side closed)',
    );
    expect(describeStreamError(cut)).toBe('The connection to the model was lost.');
    expect(describeStreamError(error({ kind: 'network' }, 'fetch failed (ECONNREFUSED)'))).toBe(
      'The server could not be reached. Check your connection.',
    );
  });

  it('tells the server refusing its caller from the provider refusing the server', () => {
    expect(describeStreamError(error({ kind: 'http', status: 401 }))).toBe('You need to sign in again.');
    expect(describeStreamError(error({ kind: 'http', status: 401, relayed: true }))).toBe(
      'The server could not sign in to the model provider.',
    );
    expect(describeStreamError(error({ kind: 'http', status: 413 }))).toBe('The conversation is too long to send.');
    expect(describeStreamError(error({ kind: 'http', status: 502, relayed: true }))).toBe(
      'The model provider had a problem answering.',
    );
  });

  it('names a provider error by its type, and every kind has a sentence', () => {
    expect(describeStreamError(error({ kind: 'provider', providerErrorType: 'overloaded_error' }))).toBe(
      'The model is busy right now. Try again in a moment.',
    );
    const kinds = [
      'http',
      'network',
      'timeout',
      'aborted',
      'provider',
      'protocol',
      'truncated',
      'restarted',
      'gone',
    ] as const;
    const sentences = kinds.map((kind) => describeStreamError(error({ kind })));
    for (const sentence of sentences) expect(sentence).toMatch(/^[A-Z][^<>{}]*\.$/);
    expect(new Set(sentences).size).toBe(kinds.length);
    expect(describeStreamError(new TypeError('x is undefined'))).toBe('Something went wrong.');
  });
});
