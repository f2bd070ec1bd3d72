import type { ChatTurn } from './buildChatRequestBody.js';
import { turnSteps } from './turnSteps.js';
import { fileAsText, fileKind } from './chatFileContent.js';
import { resultText } from './resultText.js';

/**
 * A conversation as OpenAI Chat Completions messages: a user's files as image and file content
 * parts (text files as text), each assistant step as a message with its `tool_calls`, followed by
 * a `tool` message per result. Reasoning never goes back (the servers that send it refuse it).
 */
export function openAIChatMessages(turns: readonly ChatTurn[]): unknown[] {
  const messages: unknown[] = [];
  for (const turn of turns) {
    if (turn.role === 'user') {
      const files = turn.files ?? [];
      if (files.length === 0) {
        messages.push({ role: 'user', content: turn.content });
        continue;
      }
      const content: unknown[] = turn.content === '' ? [] : [{ type: 'text', text: turn.content }];
      for (const file of files) {
        const kind = fileKind(file);
        if (kind === 'image') content.push({ type: 'image_url', image_url: { url: file.url } });
        else if (kind === 'pdf' && file.url.startsWith('data:')) {
          content.push({ type: 'file', file: { filename: file.filename ?? 'document.pdf', file_data: file.url } });
        } else content.push({ type: 'text', text: fileAsText(file) });
      }
      messages.push({ role: 'user', content });
      continue;
    }
    for (const step of turnSteps(turn)) {
      const answered = (step.toolCalls ?? []).filter((call) => call.output !== undefined);
      if (step.text === '' && answered.length === 0) continue;
      messages.push({
        role: 'assistant',
        content: step.text === '' ? null : step.text,
        ...(answered.length === 0
          ? {}
          : {
              tool_calls: answered.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: JSON.stringify(call.input ?? {}) },
              })),
            }),
      });
      for (const call of answered) messages.push({ role: 'tool', tool_call_id: call.id, content: resultText(call) });
    }
  }
  return messages;
}
