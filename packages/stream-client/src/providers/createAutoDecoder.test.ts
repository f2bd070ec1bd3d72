import { describe, expect, it } from 'vitest';
import type { ProviderFormat } from './Decoder.js';
import { createAutoDecoder } from './createAutoDecoder.js';
import { decodeEvents } from '../testing/decodeEvents.js';
import { providerEvents } from '../testing/providerEvents.js';

describe('auto decoder', () => {
  it.each<ProviderFormat>(['openai', 'openai-responses', 'anthropic', 'sluice'])(
    'recognises %s from its first events and decodes it as that format would',
    (format) => {
      const text = providerEvents(format, { text: 'Hello from the model.' }).join('');
      const decoder = createAutoDecoder();
      expect(decodeEvents(decoder, text)).toEqual(decodeEvents(format, text));
      expect(decoder.format).toBe(format);
    },
  );

  it('refuses a stream in no format it knows, as malformed', () => {
    expect(() => decodeEvents('auto', 'data: {"hello": "world"}\n\n')).toThrow(/none of the formats/);
  });
});
