import type { ChatTurn } from './buildChatRequestBody.js';
import { turnSteps } from './turnSteps.js';
import { base64Data, fileAsText, fileKind } from './chatFileContent.js';
import { resultText } from './resultText.js';

type Block = Record<string, unknown>;
type Message = { role: 'user' | 'assistant'; content: string | Block[] };

/**
 * A conversation as Anthropic Messages: a user's files as image and document blocks, each
 * assistant step as its blocks (its continuation's own, thinking signatures included, when it has
 * one) followed by a user turn of `tool_result` blocks. Turns of the same role are joined, since
 * the API wants them to alternate.
 */
export function anthropicMessages(turns: readonly ChatTurn[]): Message[] {
  const messages: Message[] = [];
  const push = (message: Message) => {
    const last = messages.at(-1);
    if (last === undefined || last.role !== message.role) {
      messages.push(message);
      return;
    }
    last.content = [...blocks(last.content), ...blocks(message.content)];
  };
  for (const turn of turns) {
    if (turn.role === 'user') {
      const files = turn.files ?? [];
      push({
        role: 'user',
        content:
          files.length === 0
            ? turn.content
            : [...files.map(fileBlock), ...(turn.content === '' ? [] : [{ type: 'text', text: turn.content }])],
      });
      continue;
    }
    for (const step of turnSteps(turn)) {
      const answered = new Map(
        (step.toolCalls ?? []).filter((call) => call.output !== undefined).map((call) => [call.id, call]),
      );
      const content =
        step.continuation?.provider === 'anthropic'
          ? answeredBlocks(step.continuation.content, answered)
          : [
              ...(step.text === '' ? [] : [{ type: 'text', text: step.text }]),
              ...[...answered.values()].map((call) => ({
                type: 'tool_use',
                id: call.id,
                name: call.name,
                input: call.input ?? {},
              })),
            ];
      if (content.length === 0) continue;
      push({
        role: 'assistant',
        // A step of text alone goes as a string, as it was asked.
        content:
          content.length === 1 && content[0]!['type'] === 'text' && step.continuation === undefined
            ? step.text
            : content,
      });
      const results = [...answered.values()].map((call) => ({
        type: 'tool_result',
        tool_use_id: call.id,
        content: resultText(call),
        ...(call.isError === true ? { is_error: true } : {}),
      }));
      if (results.length > 0) push({ role: 'user', content: results });
    }
  }
  return messages;
}

function blocks(content: string | Block[]): Block[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function fileBlock(file: { mediaType: string; url: string; filename?: string | undefined }): Block {
  const kind = fileKind(file);
  const data = base64Data(file.url);
  if (kind === 'image' || kind === 'pdf') {
    const source =
      data === undefined ? { type: 'url', url: file.url } : { type: 'base64', media_type: file.mediaType, data };
    return kind === 'image' ? { type: 'image', source } : { type: 'document', source };
  }
  return {
    type: 'document',
    source: { type: 'text', media_type: 'text/plain', data: fileAsText(file) },
    ...(file.filename === undefined ? {} : { title: file.filename }),
  };
}

/**
 * Blocks of a step to send back: all but calls without an answer in the history, a server tool
 * call whose result never came (a turn paused mid-search), and empty text, which the API refuses.
 */
function answeredBlocks(content: readonly unknown[], answered: ReadonlyMap<string, unknown>): Block[] {
  const served = new Set<unknown>();
  for (const block of content) {
    const fields = (block ?? {}) as Block;
    if (typeof fields['type'] === 'string' && fields['type'].endsWith('_tool_result'))
      served.add(fields['tool_use_id']);
  }
  return content.filter((block): block is Block => {
    const fields = (block ?? {}) as Block;
    switch (fields['type']) {
      case 'text':
        return fields['text'] !== '';
      case 'tool_use':
        return answered.has(fields['id'] as string);
      case 'server_tool_use':
      case 'mcp_tool_use':
        return served.has(fields['id']);
      default:
        return typeof fields['type'] === 'string';
    }
  });
}
