import type { ChatTurn } from './buildChatRequestBody.js';
import { turnSteps } from './turnSteps.js';
import { fileAsText, fileKind } from './chatFileContent.js';
import { resultText } from './resultText.js';

type Item = Record<string, unknown>;

/** Output items that ask the client for an answer the history may not carry yet. */
const awaitingAnswer: ReadonlySet<unknown> = new Set([
  'function_call',
  'custom_tool_call',
  'local_shell_call',
  'apply_patch_call',
  'mcp_approval_request',
]);

/**
 * A conversation as the Responses API's input: a user's files as `input_image` and `input_file`
 * content, each assistant step as its output items (its continuation's own, reasoning with its
 * encrypted content included, when it has one) and a `function_call_output` item per result.
 */
export function responsesInput(turns: readonly ChatTurn[]): unknown[] {
  const input: unknown[] = [];
  for (const turn of turns) {
    if (turn.role === 'user') {
      const files = turn.files ?? [];
      if (files.length === 0) {
        input.push({ role: 'user', content: turn.content });
        continue;
      }
      input.push({
        role: 'user',
        content: [
          ...(turn.content === '' ? [] : [{ type: 'input_text', text: turn.content }]),
          ...files.map((file) => {
            const kind = fileKind(file);
            if (kind === 'image') return { type: 'input_image', image_url: file.url };
            if (kind === 'pdf') {
              return file.url.startsWith('data:')
                ? { type: 'input_file', filename: file.filename ?? 'document.pdf', file_data: file.url }
                : { type: 'input_file', file_url: file.url };
            }
            return { type: 'input_text', text: fileAsText(file) };
          }),
        ],
      });
      continue;
    }
    for (const step of turnSteps(turn)) {
      const answered = new Map(
        (step.toolCalls ?? []).filter((call) => call.output !== undefined).map((call) => [call.id, call]),
      );
      if (step.continuation?.provider === 'openai-responses') {
        input.push(...answeredItems(step.continuation.output, answered));
      } else {
        if (step.text !== '') input.push({ role: 'assistant', content: step.text });
        for (const call of answered.values()) {
          input.push({
            type: 'function_call',
            call_id: call.id,
            name: call.name,
            arguments: JSON.stringify(call.input ?? {}),
          });
        }
      }
      for (const call of answered.values()) {
        input.push({ type: 'function_call_output', call_id: call.id, output: resultText(call) });
      }
    }
  }
  return input;
}

/**
 * Output items to send back: all but the calls that wait for an answer the history does not
 * carry, and the reasoning items that led to them (the API refuses a reasoning item without the
 * item it produced).
 */
function answeredItems(output: readonly unknown[], answered: ReadonlyMap<string, unknown>): unknown[] {
  const kept: unknown[] = [];
  let reasoning: unknown[] = [];
  for (const item of output) {
    const fields = (item ?? {}) as Item;
    if (fields['type'] === 'reasoning') {
      reasoning.push(item);
      continue;
    }
    const waits =
      (awaitingAnswer.has(fields['type']) && !answered.has(fields['call_id'] as string)) ||
      (fields['type'] === 'tool_search_call' && fields['execution'] === 'client');
    if (!waits) kept.push(...reasoning, item);
    reasoning = [];
  }
  // Reasoning with nothing after it led to nothing that is sent: it goes too.
  return kept;
}
