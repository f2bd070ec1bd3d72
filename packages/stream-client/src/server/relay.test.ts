import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../providers/StreamPart.js';
import { formatServerSentEvent } from '../sse/formatServerSentEvent.js';
import { decodeEvents } from '../testing/decodeEvents.js';
import { relay } from './relay.js';

/** Every kind of part a reply can hold, with the optional fields set. */
const parts: StreamPart[] = [
  { type: 'start', id: 'msg_1', model: 'claude-test' },
  { type: 'reasoning-delta', text: 'Look it up.' },
  { type: 'text-delta', text: 'Searching. ', block: 1 },
  { type: 'server-tool-call', block: 2, call: { id: 'srv_1', name: 'web_search', input: { query: 'tides' } } },
  { type: 'server-tool-result', block: 3, id: 'srv_1', output: [{ url: 'https://tides.example' }], isError: false },
  {
    type: 'source',
    block: 4,
    source: { url: 'https://tides.example', title: 'Tides', citedText: '06:12', textRange: { start: 0, end: 5 } },
  },
  { type: 'text-delta', text: 'High tide is at 06:12.', block: 4 },
  { type: 'refusal-delta', text: 'No.', choice: 1 },
  { type: 'tool-call-start', id: 'toolu_1', name: 'save' },
  { type: 'tool-call-delta', id: 'toolu_1', argumentsDelta: '{"note":1}' },
  {
    type: 'tool-call',
    toolCall: { id: 'toolu_1', name: 'save', arguments: { note: 1 }, argumentsText: '{"note":1}', choice: 0 },
  },
  {
    type: 'tool-request',
    request: { kind: 'mcp-approval', id: 'mcpr_1', name: 'shorten', input: { url: 'x' }, server: 'links' },
  },
  {
    type: 'continuation',
    continuation: {
      provider: 'anthropic',
      content: [{ type: 'thinking', thinking: 'Look it up.', signature: 'c2ln' }],
    },
  },
  { type: 'tool-approval-request', id: 'toolu_1' },
  { type: 'tool-result', id: 'toolu_1', output: { saved: true } },
  { type: 'tool-result', id: 'toolu_2', output: 'Disk full.', isError: true },
  { type: 'data', name: 'progress', id: 'p1', data: { done: 3, of: 5 } },
  { type: 'data', name: 'status', data: 'Thinking' },
  { type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,iVBORw==', filename: 'chart.png' },
  { type: 'step-start' },
  { type: 'usage', usage: { inputTokens: 10, outputTokens: 20 } },
  { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
];

describe('relay', () => {
  it('carries every kind of part through the sluice protocol unchanged', async () => {
    let wire = '';
    for await (const event of relay(
      (async function* () {
        yield* parts;
      })(),
    )) {
      wire += formatServerSentEvent(event);
    }
    const decoded = decodeEvents('sluice', wire);
    expect(decoded[0]).toMatchObject({ type: 'sluice', version: 1 });
    expect(decoded.slice(1)).toEqual(parts);
  });
});
