import type { ChatFile, ChatStep, ChatToolCall, ChatTurn } from './buildChatRequestBody.js';
import type { ChatMessage } from './ChatSession.js';
import type { MessagePart, ToolCallPart } from './MessagePart.js';

/**
 * A conversation as a request carries it: each user message with its files, each assistant
 * message with its steps (text, tool calls with their results, continuation). Failed replies are
 * left out: a failure is not something the model said.
 */
export function chatTurns(messages: readonly ChatMessage[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const message of messages) {
    if (message.role === 'assistant' && message.status === 'failed') continue;
    if (message.role !== 'assistant') {
      const files = message.parts.filter((part) => part.type === 'file').map(toFile);
      turns.push({ role: message.role, content: message.content, ...(files.length === 0 ? {} : { files }) });
      continue;
    }
    const steps = messageSteps(message.parts);
    if (steps.length <= 1 && (steps[0]?.toolCalls ?? []).length === 0) {
      const continuation = steps[0]?.continuation;
      turns.push({
        role: 'assistant',
        content: message.content,
        ...(continuation === undefined ? {} : { continuation }),
      });
    } else {
      turns.push({ role: 'assistant', content: message.content, steps });
    }
  }
  return turns;
}

/** A reply's parts as its steps: split where each step starts. */
export function messageSteps(parts: readonly MessagePart[]): ChatStep[] {
  const steps: ChatStep[] = [];
  let step: ChatStep | undefined;
  for (const part of parts) {
    if (part.type === 'step-start' || step === undefined) {
      step = {
        text: '',
        ...(part.type === 'step-start' && part.continuation !== undefined ? { continuation: part.continuation } : {}),
      };
      steps.push(step);
      if (part.type === 'step-start') continue;
    }
    if (part.type === 'text') step.text += part.text;
    else if (part.type === 'tool-call') (step.toolCalls ??= []).push(toCall(part));
  }
  return steps;
}

/** A call with what the model is to read of its outcome; an approval that the server is to act on. */
function toCall(part: ToolCallPart): ChatToolCall {
  const call: ChatToolCall = { id: part.id, name: part.name, input: part.input };
  switch (part.state) {
    case 'output-available':
      call.output = part.output;
      break;
    case 'output-error':
      call.output = part.errorText ?? 'The tool failed.';
      call.isError = true;
      break;
    case 'denied':
      call.output = denialText(part.denialReason);
      call.isError = true;
      if (part.runsOn === 'server') call.approval = { approved: false, reason: part.denialReason };
      break;
    case 'approved':
      if (part.runsOn === 'server') call.approval = { approved: true };
      break;
  }
  return call;
}

/** What the model reads of a call the person did not allow. */
export function denialText(reason: string | undefined): string {
  return `The person did not allow this call${reason === undefined || reason === '' ? '.' : `: ${reason}`}`;
}

function toFile(part: Extract<MessagePart, { type: 'file' }>): ChatFile {
  return {
    mediaType: part.mediaType,
    url: part.url,
    ...(part.filename === undefined ? {} : { filename: part.filename }),
  };
}
