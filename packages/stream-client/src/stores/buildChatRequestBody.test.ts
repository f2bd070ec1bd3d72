import { describe, expect, it } from 'vitest';
import type { Continuation } from '../providers/StreamPart.js';
import { decodeEvents } from '../testing/decodeEvents.js';
import { buildChatRequestBody } from './buildChatRequestBody.js';
import type { ChatTurn } from './buildChatRequestBody.js';

const anthropicReply: Continuation = {
  provider: 'anthropic',
  content: [
    { type: 'thinking', thinking: 'Look it up.', signature: 'c2ln' },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'tides' } },
    { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
    { type: 'text', text: 'High tide is at 06:12.' },
  ],
};

const responsesReply: Continuation = {
  provider: 'openai-responses',
  output: [
    { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'ZW5j' },
    { id: 'ws_1', type: 'web_search_call', status: 'completed' },
    { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'At 06:12.' }] },
    { id: 'rs_2', type: 'reasoning', summary: [] },
    { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'save', arguments: '{}' },
  ],
};

const history = (continuation: Continuation): ChatTurn[] => [
  { role: 'user', content: 'When is high tide?' },
  { role: 'assistant', content: 'High tide is at 06:12.', continuation },
  { role: 'user', content: 'And low tide?' },
];

describe('buildChatRequestBody', () => {
  it('sends an Anthropic reply back as its own blocks, thinking signature and server tools included', () => {
    const body = buildChatRequestBody({ messages: history(anthropicReply) }, 'anthropic');
    expect(body['messages']).toEqual([
      { role: 'user', content: 'When is high tide?' },
      { role: 'assistant', content: anthropicReply.content },
      { role: 'user', content: 'And low tide?' },
    ]);
  });

  it('sends Responses output items back, without a call that waits for an answer or the reasoning that led to it', () => {
    const body = buildChatRequestBody({ messages: history(responsesReply) }, 'openai-responses');
    const output = (responsesReply as { output: readonly unknown[] }).output;
    expect(body['input']).toEqual([
      { role: 'user', content: 'When is high tide?' },
      output[0],
      output[1],
      output[2],
      { role: 'user', content: 'And low tide?' },
    ]);
  });

  it('leaves a continuation out for another provider, and an empty assistant turn out for all', () => {
    const messages: ChatTurn[] = [
      ...history(anthropicReply),
      { role: 'assistant', content: '' },
      { role: 'user', content: 'Thanks.' },
    ];
    expect(buildChatRequestBody({ messages }, 'openai')['messages']).toEqual([
      { role: 'user', content: 'When is high tide?' },
      { role: 'assistant', content: 'High tide is at 06:12.' },
      { role: 'user', content: 'And low tide?' },
      { role: 'user', content: 'Thanks.' },
    ]);
    // A Sluice server gets it as it came, to build the provider's request itself.
    expect(buildChatRequestBody({ messages: history(anthropicReply) }, undefined)['messages']).toEqual(
      history(anthropicReply),
    );
  });

  it('drops an Anthropic tool call whose result the history does not carry, keeping the rest', () => {
    const withCall: Continuation = {
      provider: 'anthropic',
      content: [
        { type: 'text', text: 'Saving.' },
        { type: 'tool_use', id: 'toolu_1', name: 'save', input: {} },
      ],
    };
    const body = buildChatRequestBody({ messages: history(withCall) }, 'anthropic');
    expect((body['messages'] as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'Saving.' }],
    });
  });

  it('sends back in the provider’s shape only the latest reply; earlier ones go as their text', () => {
    const messages: ChatTurn[] = [
      ...history(anthropicReply),
      { role: 'assistant', content: 'Low tide is at 12:30.', continuation: anthropicReply },
      { role: 'user', content: 'Thanks.' },
    ];
    const sent = buildChatRequestBody({ messages }, 'anthropic')['messages'] as Array<{ content: unknown }>;
    expect(sent[1]).toEqual({ role: 'assistant', content: 'High tide is at 06:12.' });
    expect(sent[3]).toEqual({ role: 'assistant', content: anthropicReply.content });
    // To a Sluice server too: the older continuation is not sent at all.
    const relayed = buildChatRequestBody({ messages }, undefined)['messages'] as ChatTurn[];
    expect(relayed[1]).toEqual({ role: 'assistant', content: 'High tide is at 06:12.' });
    expect(relayed[3]!.continuation).toBe(anthropicReply);
  });

  it('leaves out what the API would refuse: empty text, a server tool paused before its result, a client tool search', () => {
    const paused: Continuation = {
      provider: 'anthropic',
      content: [
        { type: 'text', text: '' },
        { type: 'text', text: 'Searching.' },
        { type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_search', input: { query: 'tides' } },
      ],
    };
    expect((buildChatRequestBody({ messages: history(paused) }, 'anthropic')['messages'] as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'Searching.' }],
    });
    const search: Continuation = {
      provider: 'openai-responses',
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [] },
        { id: 'tsc_1', type: 'tool_search_call', execution: 'client', call_id: 'call_1', arguments: {} },
        { id: 'rs_2', type: 'reasoning', summary: [] },
      ],
    };
    expect(buildChatRequestBody({ messages: history(search) }, 'openai-responses')['input']).toEqual([
      { role: 'user', content: 'When is high tide?' },
      { role: 'user', content: 'And low tide?' },
    ]);
  });

  it('sends redacted thinking back exactly as the stream gave it, in its place among the blocks', () => {
    // Anthropic checks the opaque data of redacted thinking: the block must go back untouched.
    const redacted = {
      type: 'redacted_thinking',
      data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP',
    };
    const events = [
      { type: 'message_start', message: { id: 'msg_1', model: 'claude-sonnet-4-5', usage: { input_tokens: 9 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Check the tables.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: redacted },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'At 06:12.' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' } },
      { type: 'message_stop' },
    ];
    const parts = decodeEvents(
      'anthropic',
      events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(''),
    );
    const reply = parts.find((part) => part.type === 'continuation');
    expect(reply?.type).toBe('continuation');
    const body = buildChatRequestBody(
      { messages: history(reply?.type === 'continuation' ? reply.continuation : anthropicReply) },
      'anthropic',
    );
    expect((body['messages'] as unknown[])[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Check the tables.', signature: 'c2ln' },
        redacted,
        { type: 'text', text: 'At 06:12.' },
      ],
    });
  });
});
