import type { StreamPart } from '../providers/StreamPart.js';
import type { ChatRequest, ChatStep, ChatToolCall, ChatTurn } from '../stores/buildChatRequestBody.js';
import { turnSteps } from '../stores/turnSteps.js';
import { runTool } from '../tools/runTool.js';
import type { TextStream } from '../transport/TextStream.js';
import type { ChatHandlerTool } from './ChatHandlerTool.js';
import type { ChatContext } from './createChatHandler.js';
import { PartQueue } from './PartQueue.js';
import { readOnce } from './readOnce.js';

/** What {@link chatSteps} runs. */
export interface ChatStepsOptions {
  chat: ChatRequest;
  /** The server's tools, by name. */
  tools: Readonly<Record<string, ChatHandlerTool>>;
  /** Calls the provider for one step. */
  start(chat: ChatRequest, signal: AbortSignal): TextStream;
  signal: AbortSignal;
  context: ChatContext;
  maxSteps: number;
  toolTimeoutMs: number;
}

/**
 * One reply of the chat handler, step after step: the provider's parts as they come; then, when
 * the model called the server's tools, their data and results, a `step-start`, and the provider
 * called again with the results, until a step calls none, calls one the client runs, waits for a
 * person's approval, or the reply has taken `maxSteps` steps. A call a person approved in the
 * client's last reply runs first.
 */
export async function* chatSteps(options: ChatStepsOptions): AsyncGenerator<StreamPart, void, undefined> {
  const { chat, tools, signal } = options;
  let turns = [...chat.messages];
  const last = turns.at(-1);
  if (last?.role === 'assistant') {
    // The person answered calls of the last reply that waited for approval: the approved run now.
    const steps = turnSteps(last).map((step) => ({ ...step, toolCalls: step.toolCalls?.map((call) => ({ ...call })) }));
    const approved = (steps.at(-1)?.toolCalls ?? []).filter(
      (call) => call.output === undefined && call.approval?.approved === true && Object.hasOwn(tools, call.name),
    );
    if (approved.length > 0) {
      yield* runCalls(approved, options);
      turns = [...turns.slice(0, -1), { ...last, steps }];
    }
  }
  for (let step = 1; !signal.aborted; step++) {
    const stream = options.start({ ...chat, messages: turns }, signal);
    // The only reader of the step: the stream keeps no part once it is read (the result holds the text).
    yield* { [Symbol.asyncIterator]: () => readOnce(stream) };
    const result = await stream.result();
    const calls: ChatToolCall[] = result.toolCalls.map((call) => ({
      id: call.id,
      name: call.name,
      input: call.arguments,
    }));
    const mine = calls.filter((call) => Object.hasOwn(tools, call.name));
    if (mine.length === 0) return;
    const runnable: ChatToolCall[] = [];
    let awaitingApproval = false;
    for (const call of mine) {
      if (await needsApproval(tools[call.name]!, call, options.context)) {
        awaitingApproval = true;
        yield { type: 'tool-approval-request', id: call.id };
      } else runnable.push(call);
    }
    yield* runCalls(runnable, options);
    // The client runs its own calls and answers approvals, then sends the reply back to go on.
    if (awaitingApproval || mine.length < calls.length || step >= options.maxSteps || signal.aborted) return;
    yield { type: 'step-start' };
    const done: ChatStep = {
      text: result.text,
      toolCalls: calls,
      ...(result.continuation === undefined ? {} : { continuation: result.continuation }),
    };
    turns = withStep(turns, done);
  }
}

/** Runs calls side by side, yielding the data they send as they work and each result as it comes. */
async function* runCalls(
  calls: ChatToolCall[],
  options: ChatStepsOptions,
): AsyncGenerator<StreamPart, void, undefined> {
  if (calls.length === 0) return;
  const queue = new PartQueue<StreamPart>();
  let running = calls.length;
  for (const call of calls) {
    const tool = options.tools[call.name]!;
    void runTool(
      tool,
      call.input,
      (value, signal) =>
        tool.execute(value, {
          signal,
          toolCallId: call.id,
          context: options.context,
          chat: options.chat,
          data: (name, data, id) => queue.push({ type: 'data', name, data, ...(id === undefined ? {} : { id }) }),
        }),
      { signal: options.signal, timeoutMs: options.toolTimeoutMs },
    ).then((outcome) => {
      if ('output' in outcome) call.output = outcome.output;
      else {
        call.output = outcome.errorText;
        call.isError = true;
      }
      queue.push({
        type: 'tool-result',
        id: call.id,
        output: call.output,
        ...(call.isError === true ? { isError: true } : {}),
      });
      if (--running === 0) queue.close();
    });
  }
  yield* queue;
}

async function needsApproval(tool: ChatHandlerTool, call: ChatToolCall, context: ChatContext): Promise<boolean> {
  const { needsApproval: rule } = tool;
  if (typeof rule !== 'function') return rule === true;
  try {
    return await rule(call.input, context);
  } catch {
    // A check that fails errs on the side of asking the person.
    return true;
  }
}

/** The conversation with a step of the reply added: to the reply the client sent, or as a new turn. */
function withStep(turns: ChatTurn[], step: ChatStep): ChatTurn[] {
  const last = turns.at(-1);
  if (last?.role === 'assistant') {
    const steps = [...turnSteps(last), step];
    return [...turns.slice(0, -1), { role: 'assistant', content: steps.map((each) => each.text).join(''), steps }];
  }
  return [...turns, { role: 'assistant', content: step.text, steps: [step] }];
}
