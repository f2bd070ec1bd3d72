/*
 * The shapes real provider traffic carries beyond text and function calls (issue 13), as event
 * blocks of each format, for the fuzz suite to insert into its well-formed streams before it bends
 * them: citations and search results, the tools a provider runs itself and their results, the items
 * that wait for the client, thinking, redacted thinking and what continues a turn. Written for the
 * fuzz suite in the providers' wire shapes, with generated content.
 */
import * as fc from 'fast-check';
import type { ProviderFormat } from '../src/providers/Decoder.js';
import { sluiceEvent } from '../src/providers/sluiceEvent.js';
import type { StreamPart } from '../src/providers/StreamPart.js';
import { formatServerSentEvent } from '../src/sse/formatServerSentEvent.js';

/**
 * One shape to add, whatever the format: `kind` picks one of the format's shapes, the rest fills
 * it in. `index` is where the provider says it goes (a content block, an output item, a choice): a
 * small number as a rule, or a huge one that must cost no more than a small one.
 */
export interface RealTrafficShape {
  kind: number;
  index: number;
  text: string;
  url: string;
  id: string;
  flag: boolean;
  /** Gives every object of its events an own `"__proto__"` key, as `JSON.parse` makes from the wire. */
  pollute: boolean;
}

/** Indices as providers send them, and the huge ones a hostile stream sends: none may cost time or memory. */
const index: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      100_000_000,
      1_000_000_000,
      4_294_967_294,
      4_294_967_295,
      Number.MAX_SAFE_INTEGER,
      2 ** 53,
    ),
  },
);

/** Generates a {@link RealTrafficShape}. */
export const realTrafficShape: fc.Arbitrary<RealTrafficShape> = fc.record({
  kind: fc.nat(),
  index,
  text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  url: fc.oneof(fc.webUrl(), fc.constantFrom('https://tides.example/brest', 'https://例え.example/日本')),
  id: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }),
  flag: fc.boolean(),
  pollute: fc.boolean(),
});

type Fields = Record<string, unknown>;

const named = (type: string, data: Fields) => formatServerSentEvent({ type, data: JSON.stringify({ type, ...data }) });
const unnamed = (data: Fields) => formatServerSentEvent({ data: JSON.stringify(data) });

const anthropicShapes: Array<(shape: RealTrafficShape) => string[]> = [
  // A text block with a citation of a web page or of a document the request carried.
  ({ index: at, text, url, flag }) => [
    named('content_block_start', { index: at, content_block: { type: 'text', text: '', citations: [] } }),
    named('content_block_delta', {
      index: at,
      delta: {
        type: 'citations_delta',
        citation: flag
          ? { type: 'web_search_result_location', url, title: text, cited_text: text, encrypted_index: 'aW5k' }
          : {
              type: 'char_location',
              cited_text: text,
              document_index: 0,
              document_title: text,
              start_char_index: 0,
              end_char_index: text.length,
            },
      },
    }),
    named('content_block_delta', { index: at, delta: { type: 'text_delta', text } }),
    named('content_block_stop', { index: at }),
  ],
  // A web search Anthropic runs, its query streamed, then its results or its error.
  ({ index: at, text, url, id, flag }) => {
    const query = JSON.stringify({ query: text });
    return [
      named('content_block_start', {
        index: at,
        content_block: { type: 'server_tool_use', id: `srvtoolu_${id}`, name: 'web_search', input: {} },
      }),
      named('content_block_delta', {
        index: at,
        delta: { type: 'input_json_delta', partial_json: query.slice(0, 5) },
      }),
      named('content_block_delta', { index: at, delta: { type: 'input_json_delta', partial_json: query.slice(5) } }),
      named('content_block_stop', { index: at }),
      named('content_block_start', {
        index: at + 1,
        content_block: {
          type: 'web_search_tool_result',
          tool_use_id: `srvtoolu_${id}`,
          content: flag
            ? { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' }
            : [{ type: 'web_search_result', url, title: text, page_age: '2 days ago', encrypted_content: 'ZW5j' }],
        },
      }),
      named('content_block_stop', { index: at + 1 }),
    ];
  },
  // Code execution or a web fetch, input whole in the block's start, and its result.
  ({ index: at, text, url, id, flag }) => [
    named('content_block_start', {
      index: at,
      content_block: {
        type: 'server_tool_use',
        id: `srvtoolu_${id}`,
        name: flag ? 'code_execution' : 'web_fetch',
        input: flag ? { code: text } : { url },
      },
    }),
    named('content_block_stop', { index: at }),
    named('content_block_start', {
      index: at + 1,
      content_block: flag
        ? {
            type: 'code_execution_tool_result',
            tool_use_id: `srvtoolu_${id}`,
            content: { type: 'code_execution_result', stdout: text, stderr: '', return_code: 0 },
          }
        : {
            type: 'web_fetch_tool_result',
            tool_use_id: `srvtoolu_${id}`,
            content: { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' },
          },
    }),
    named('content_block_stop', { index: at + 1 }),
  ],
  // Thinking with its signature.
  ({ index: at, text, id }) => [
    named('content_block_start', { index: at, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    named('content_block_delta', { index: at, delta: { type: 'thinking_delta', thinking: text } }),
    named('content_block_delta', { index: at, delta: { type: 'signature_delta', signature: `c2ln${id}` } }),
    named('content_block_stop', { index: at }),
  ],
  // Redacted thinking: opaque data that must go back as it came.
  ({ index: at, id }) => [
    named('content_block_start', { index: at, content_block: { type: 'redacted_thinking', data: `b3Bh${id}` } }),
    named('content_block_stop', { index: at }),
  ],
  // A tool an MCP server ran, and its result.
  ({ index: at, text, id, flag }) => [
    named('content_block_start', {
      index: at,
      content_block: { type: 'mcp_tool_use', id: `mcptoolu_${id}`, name: 'lookup', server_name: 'wiki', input: {} },
    }),
    named('content_block_delta', {
      index: at,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify({ term: text }) },
    }),
    named('content_block_stop', { index: at }),
    named('content_block_start', {
      index: at + 1,
      content_block: {
        type: 'mcp_tool_result',
        tool_use_id: `mcptoolu_${id}`,
        is_error: flag,
        content: [{ type: 'text', text }],
      },
    }),
    named('content_block_stop', { index: at + 1 }),
  ],
];

/** A finished Responses output item, announced first as the API does. */
const responsesItem = (at: number, item: Fields) => [
  named('response.output_item.added', { output_index: at, item: { ...item, status: 'in_progress' } }),
  named('response.output_item.done', { output_index: at, item }),
];

const responsesShapes: Array<(shape: RealTrafficShape) => string[]> = [
  // Text with a citation of a page or a file.
  ({ index: at, text, url, id, flag }) => [
    named('response.output_text.delta', { item_id: `msg_${id}`, output_index: at, content_index: 0, delta: text }),
    named('response.output_text.annotation.added', {
      item_id: `msg_${id}`,
      output_index: at,
      content_index: 0,
      annotation_index: 0,
      annotation: flag
        ? { type: 'url_citation', url, title: text, start_index: 0, end_index: text.length }
        : { type: 'file_citation', file_id: `file-${id}`, filename: `${text}.pdf`, index: 0 },
    }),
  ],
  ({ index: at, text, url, id }) =>
    responsesItem(at, {
      id: `ws_${id}`,
      type: 'web_search_call',
      status: 'completed',
      action: { type: 'search', query: text, sources: [{ type: 'url', url }] },
    }),
  ({ index: at, text, id }) =>
    responsesItem(at, {
      id: `fs_${id}`,
      type: 'file_search_call',
      status: 'completed',
      queries: [text],
      results: [{ file_id: `file-${id}`, filename: 'notes.txt', score: 0.5, text, attributes: {} }],
    }),
  ({ index: at, text, id }) =>
    responsesItem(at, {
      id: `ci_${id}`,
      type: 'code_interpreter_call',
      status: 'completed',
      code: text,
      container_id: `cntr_${id}`,
      outputs: [{ type: 'logs', logs: text }],
    }),
  ({ index: at, id, flag }) =>
    responsesItem(at, {
      id: `ig_${id}`,
      type: 'image_generation_call',
      status: flag ? 'completed' : 'failed',
      output_format: 'png',
      result: flag ? 'aW1hZ2U=' : null,
    }),
  ({ index: at, text, id, flag }) =>
    responsesItem(at, {
      id: `mcp_${id}`,
      type: 'mcp_call',
      name: 'lookup',
      server_label: 'wiki',
      arguments: JSON.stringify({ term: text }),
      output: flag ? text : null,
      error: flag ? null : { type: 'mcp_tool_error', message: text },
    }),
  ({ index: at, text, id }) =>
    responsesItem(at, { id: `ctc_${id}`, type: 'custom_tool_call', call_id: `call_${id}`, name: 'run', input: text }),
  ({ index: at, text, id }) =>
    responsesItem(at, {
      id: `lsh_${id}`,
      type: 'local_shell_call',
      call_id: `call_${id}`,
      action: { type: 'exec', command: [text], env: {} },
    }),
  ({ index: at, text, id }) =>
    responsesItem(at, {
      id: `apc_${id}`,
      type: 'apply_patch_call',
      call_id: `call_${id}`,
      operation: { type: 'update_file', path: `${text}.md`, diff: `+${text}` },
    }),
  ({ index: at, id }) =>
    responsesItem(at, {
      id: `mcpr_${id}`,
      type: 'mcp_approval_request',
      name: 'deploy',
      server_label: 'ops',
      arguments: '{}',
    }),
  ({ index: at, text, id, flag }) =>
    responsesItem(at, {
      id: `tsc_${id}`,
      type: 'tool_search_call',
      call_id: `call_${id}`,
      execution: flag ? 'client' : 'server',
      arguments: { queries: [text] },
    }),
  // A reasoning item with its text streamed and its encrypted content, for the next request.
  ({ index: at, text, id }) => [
    named('response.reasoning_text.delta', { item_id: `rs_${id}`, output_index: at, content_index: 0, delta: text }),
    ...responsesItem(at, {
      id: `rs_${id}`,
      type: 'reasoning',
      summary: [{ type: 'summary_text', text }],
      encrypted_content: `ZW5j${id}`,
    }),
  ],
];

const chatHead = { id: 'chatcmpl-mock', object: 'chat.completion.chunk', model: 'gpt-4o-mock' };
const chatDelta = (choice: number, delta: Fields) =>
  unnamed({ ...chatHead, choices: [{ index: choice, delta, finish_reason: null }] });

const chatShapes: Array<(shape: RealTrafficShape) => string[]> = [
  // OpenRouter's web plugin and OpenAI's search models: the pages the answer cites.
  ({ index: at, text, url, flag }) => [
    chatDelta(flag ? at : 0, {
      content: text,
      annotations: [
        {
          type: 'url_citation',
          url_citation: { url, title: text, content: text, start_index: 0, end_index: text.length },
        },
      ],
    }),
  ],
  // Groq, OpenRouter and vLLM's reasoning field.
  ({ index: at, text, flag }) => [chatDelta(flag ? at : 0, { reasoning: text, content: null })],
  // Groq's compound models: a tool its servers ran, asked and then answered.
  ({ index: at, text, flag }) => [
    chatDelta(0, { executed_tools: [{ index: at, type: 'search', arguments: JSON.stringify({ query: text }) }] }),
    chatDelta(0, {
      executed_tools: [{ index: at, type: 'search', arguments: JSON.stringify({ query: text }), output: text }],
      ...(flag ? { content: text } : {}),
    }),
  ],
  // A tool call at any index.
  ({ index: at, id }) => [
    chatDelta(0, {
      tool_calls: [{ index: at, id: `call_${id}`, type: 'function', function: { name: 'f', arguments: '' } }],
    }),
    chatDelta(0, { tool_calls: [{ index: at, function: { arguments: '{}' } }] }),
  ],
];

const requestKinds = ['custom', 'local-shell', 'apply-patch', 'tool-search', 'mcp-approval'] as const;

const sluiceShapes: Array<(shape: RealTrafficShape) => StreamPart[]> = [
  ({ index: at, text, url }) => [
    { type: 'text-delta', text, block: at },
    {
      type: 'source',
      source: { url, title: text, citedText: text, textRange: { start: 0, end: text.length } },
      block: at,
    },
  ],
  ({ index: at, text, url, id, flag }) => [
    { type: 'server-tool-call', call: { id, name: 'web_search', input: { query: text } }, block: at },
    {
      type: 'server-tool-result',
      id,
      output: [{ type: 'web_search_result', url, title: text }],
      ...(flag ? { isError: true } : {}),
      block: at + 1,
    },
  ],
  ({ index: at, text, id }) => [
    { type: 'tool-request', request: { kind: requestKinds[at % requestKinds.length]!, id, name: 'run', input: text } },
  ],
  ({ index: at, text, id, flag }) => [
    { type: 'reasoning-delta', text, block: at },
    {
      type: 'continuation',
      continuation: flag
        ? { provider: 'anthropic', content: [{ type: 'redacted_thinking', data: `b3Bh${id}` }] }
        : { provider: 'openai-responses', output: [{ id: `rs_${id}`, type: 'reasoning', encrypted_content: 'ZW5j' }] },
    },
  ],
];

/** The event blocks of a shape in a format, each ending in its blank line. */
export function realTrafficEvents(format: ProviderFormat, shape: RealTrafficShape): string[] {
  const blocks = eventsOf(format, shape);
  return shape.pollute ? blocks.map(polluted) : blocks;
}

function eventsOf(format: ProviderFormat, shape: RealTrafficShape): string[] {
  const pick = <Item>(shapes: Item[]) => shapes[shape.kind % shapes.length]!;
  switch (format) {
    case 'anthropic':
      return pick(anthropicShapes)(shape);
    case 'openai-responses':
      return pick(responsesShapes)(shape);
    case 'openai':
      return pick(chatShapes)(shape);
    case 'sluice':
      return pick(sluiceShapes)(shape).map((part) => formatServerSentEvent(sluiceEvent(part)));
    default:
      return [];
  }
}

/** What a pollution attempt puts in `"__proto__"`: keys a decoder reads, and one nobody should see. */
const pollution = { polluted: true, status: 'spoofed', type: 'message', toString: 'spoofed' };

/** The block with an own `"__proto__"` key on every object of its data. */
function polluted(block: string): string {
  // Split on \n alone, as the blocks are written: a regular expression's `.` and `$` would stop at
  // a U+2028 that JSON leaves unescaped in a string.
  const lines = block.split('\n');
  const at = lines.findIndex((line) => line.startsWith('data: '));
  if (at === -1) return block;
  const taint = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    for (const item of Object.values(value)) taint(item);
    if (!Array.isArray(value)) {
      Object.defineProperty(value, '__proto__', {
        value: pollution,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
  };
  const data: unknown = JSON.parse(lines[at]!.slice('data: '.length));
  taint(data);
  lines[at] = `data: ${JSON.stringify(data)}`;
  return lines.join('\n');
}
