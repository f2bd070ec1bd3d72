type Item = Record<string, unknown>;

/** The Anthropic content blocks an assistant reply can hold. */
const anthropicBlocks: ReadonlySet<unknown> = new Set([
  'text',
  'thinking',
  'redacted_thinking',
  'tool_use',
  'server_tool_use',
  'mcp_tool_use',
  'compaction',
]);

/** The Responses output items a reply can hold (an assistant message among them, and only that role). */
const responsesItems: ReadonlySet<unknown> = new Set([
  'reasoning',
  'message',
  'function_call',
  'custom_tool_call',
  'local_shell_call',
  'apply_patch_call',
  'mcp_approval_request',
  'web_search_call',
  'file_search_call',
  'code_interpreter_call',
  'image_generation_call',
  'mcp_call',
  'mcp_list_tools',
  'tool_search_call',
]);

/**
 * Why a continuation a client sent back cannot go to the provider, or `undefined` when it can.
 * The browser holds it between turns, so it is checked as untrusted input: only what a provider's
 * reply can hold gets through. A Responses continuation becomes top-level input items, where a
 * developer message, a reference to another stored item or a forged tool output would otherwise
 * ride along; an Anthropic one stays inside the assistant turn, and only its block types are checked.
 */
export function checkContinuation(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return 'it must be an object';
  const { provider, content, output } = value as Partial<Record<string, unknown>>;
  if (provider === 'anthropic') {
    if (!Array.isArray(content)) return 'an Anthropic continuation must carry a "content" array';
    for (const [index, block] of content.entries()) {
      const type = (block as Item | null)?.['type'];
      if (!anthropicBlocks.has(type) && !(typeof type === 'string' && type.endsWith('_tool_result'))) {
        return `content[${index}] is not a block an assistant reply holds (${JSON.stringify(type)})`;
      }
    }
    return undefined;
  }
  if (provider === 'openai-responses') {
    if (!Array.isArray(output)) return 'a Responses continuation must carry an "output" array';
    for (const [index, item] of output.entries()) {
      const fields = (item ?? {}) as Item;
      if (!responsesItems.has(fields['type'])) {
        return `output[${index}] is not an item a reply holds (${JSON.stringify(fields['type'])})`;
      }
      if (fields['type'] === 'message' && !isAssistantMessage(fields)) {
        return `output[${index}] must be an assistant message of output text`;
      }
    }
    return undefined;
  }
  return 'its provider must be "anthropic" or "openai-responses"';
}

function isAssistantMessage(item: Item): boolean {
  const content = item['content'];
  return (
    item['role'] === 'assistant' &&
    Array.isArray(content) &&
    content.every((part) => ['output_text', 'refusal'].includes((part as Item | null)?.['type'] as string))
  );
}
