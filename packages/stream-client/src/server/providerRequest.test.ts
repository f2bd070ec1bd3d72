import { describe, expect, it } from 'vitest';
import { providerRequest } from './providerRequest.js';
import type { ProviderSettings } from './providerRequest.js';

const chat = { system: 'Be brief.', messages: [{ role: 'user' as const, content: 'Hi' }] };

function settings(overrides: Partial<ProviderSettings>): ProviderSettings {
  return { provider: 'openai', model: 'm', apiKey: 'k', baseURL: 'https://api.openai.com/v1', ...overrides };
}

describe('providerRequest', () => {
  it('names the token limit as each provider does', () => {
    // OpenAI's own API refuses max_tokens for reasoning models; the servers that copy it know only max_tokens.
    expect(providerRequest(settings({ maxTokens: 100 }), chat).body).toMatchObject({ max_completion_tokens: 100 });
    expect(providerRequest(settings({ maxTokens: 100 }), chat).body).not.toHaveProperty('max_tokens');
    expect(
      providerRequest(settings({ maxTokens: 100, baseURL: 'https://api.groq.com/openai/v1' }), chat).body,
    ).toMatchObject({ max_tokens: 100 });
    expect(providerRequest(settings({ provider: 'openai-responses', maxTokens: 100 }), chat).body).toMatchObject({
      max_output_tokens: 100,
    });
    expect(
      providerRequest(settings({ provider: 'anthropic', maxTokens: 100, baseURL: 'https://api.anthropic.com' }), chat)
        .body,
    ).toMatchObject({ max_tokens: 100 });
  });

  it('leaves the limit to the provider when none is set, but Anthropic, which requires one', () => {
    const openai = providerRequest(settings({}), chat).body;
    expect(openai).not.toHaveProperty('max_tokens');
    expect(openai).not.toHaveProperty('max_completion_tokens');
    expect(providerRequest(settings({ provider: 'openai-responses' }), chat).body).not.toHaveProperty(
      'max_output_tokens',
    );
    expect(
      providerRequest(settings({ provider: 'anthropic', baseURL: 'https://api.anthropic.com' }), chat).body,
    ).toMatchObject({ max_tokens: 4096 });
  });

  it('lets the provider’s own options set anything but stream', () => {
    const { body, url } = providerRequest(
      settings({ providerOptions: { temperature: 0.1, stream: false, model: 'other' }, baseURL: 'http://x/v1/' }),
      chat,
    );
    expect(url).toBe('http://x/v1/chat/completions');
    expect(body).toMatchObject({ temperature: 0.1, stream: true, model: 'other' });
  });
});
