import { describe, expect, it } from 'vitest';
import type { ProviderFormat } from '../providers/Decoder.js';
import { streamText } from '../transport/streamText.js';
import type { StreamTextOptions } from '../transport/streamText.js';
import { htmlResponse } from './htmlResponse.js';
import { mockResponse } from './mockResponse.js';
import { rateLimitedResponse } from './rateLimitedResponse.js';
import type { StreamFault } from './StreamFault.js';

const providers: ProviderFormat[] = ['openai', 'anthropic', 'openai-responses', 'sluice'];

function outcome(response: () => Response, options: Partial<StreamTextOptions> = {}) {
  return streamText({ url: 'http://mock.test/', fetch: async () => response(), retry: false, ...options })
    .result()
    .then(
      (result) => ({ ok: true as const, text: result.text }),
      (error: { kind: string; partial: { text: string }; retryable: boolean }) => ({
        ok: false as const,
        kind: error.kind,
        text: error.partial.text,
        retryable: error.retryable,
      }),
    );
}

describe('testing kit faults, as streamText sees them', () => {
  it.each(providers)('%s: a whole stream finishes with the whole text', async (provider) => {
    expect(await outcome(() => mockResponse('All of it.', { provider }))).toEqual({ ok: true, text: 'All of it.' });
  });

  it.each(
    providers.flatMap((provider) =>
      (['error-event', 'drop', 'truncate'] as const).map((kind) => [provider, kind] as const),
    ),
  )('%s: %s keeps the text before it', async (provider, kind) => {
    const fault: StreamFault = { kind, afterEvents: 4 };
    const result = await outcome(() => mockResponse('one two three four five six', { provider, fault }));
    const expectedKind = { 'error-event': 'provider', drop: 'network', truncate: 'truncated' }[kind];
    expect(result).toMatchObject({ ok: false, kind: expectedKind });
    if (!result.ok) expect('one two three four five six'.startsWith(result.text)).toBe(true);
  });

  it('a stall is caught by the idle timeout', async () => {
    const result = await outcome(() => mockResponse('one two three', { fault: { kind: 'stall', afterEvents: 2 } }), {
      idleTimeoutMs: 50,
    });
    expect(result).toMatchObject({ ok: false, kind: 'timeout', text: 'one' });
  });

  it('a 429 carries its Retry-After, and an HTML page is a protocol error', async () => {
    expect(await outcome(() => rateLimitedResponse({ retryAfterSeconds: 30 }))).toMatchObject({
      ok: false,
      kind: 'http',
      retryable: true,
    });
    expect(await outcome(() => htmlResponse())).toMatchObject({ ok: false, kind: 'protocol', retryable: false });
  });
});
