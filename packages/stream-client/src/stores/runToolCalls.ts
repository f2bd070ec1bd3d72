import { runTool } from '../tools/runTool.js';
import type { ToolOutcome } from '../tools/runTool.js';
import type { ToolDefinition } from '../tools/ToolDefinition.js';
import type { ChatMessage } from './ChatSession.js';
import type { ToolCallPart } from './MessagePart.js';

/** What {@link runToolCalls} reports back to the conversation it runs for. */
export interface ToolCallReport {
  /** A call has its outcome. */
  settle(callId: string, outcome: ToolOutcome): void;
  /** A call waits for a person's approval. */
  ask(callId: string): void;
  /** The conversation, for a tool's `execute`. */
  messages(): readonly ChatMessage[];
}

/** How the calls run. */
export interface ToolCallRun {
  signal: AbortSignal;
  timeoutMs: number;
  /** The calls were approved by a person already: they run without asking again. */
  approved?: boolean | undefined;
}

/**
 * Runs a step's calls of the browser's tools, side by side: a call of a tool nobody defined, or
 * whose arguments are not JSON, fails at once; one that needs approval is asked about; the rest
 * run, and their outcomes are reported as they come. Resolves when all that run have settled.
 * Loaded with the first tool call, so a chat that never calls a tool never ships it.
 */
export async function runToolCalls(
  calls: readonly ToolCallPart[],
  tools: Readonly<Record<string, ToolDefinition>>,
  run: ToolCallRun,
  report: ToolCallReport,
): Promise<void> {
  const runs: Array<Promise<void>> = [];
  for (const call of calls) {
    const tool = Object.hasOwn(tools, call.name) ? tools[call.name] : undefined;
    if (tool === undefined) {
      report.settle(call.id, { errorText: `There is no tool named "${call.name}".` });
      continue;
    }
    if (call.input === undefined) {
      report.settle(call.id, { errorText: 'The arguments are not valid JSON.' });
      continue;
    }
    if (run.approved !== true && (await needsApproval(tool, call.input))) {
      if (run.signal.aborted) return;
      report.ask(call.id);
      continue;
    }
    if (run.signal.aborted) return;
    const execute = tool.execute;
    if (execute === undefined) continue;
    const messages = report.messages();
    runs.push(
      runTool(
        tool,
        call.input,
        (value, signal) => execute.call(tool, value, { signal, toolCallId: call.id, messages }),
        run,
      ).then((outcome) => {
        if (!run.signal.aborted) report.settle(call.id, outcome);
      }),
    );
  }
  await Promise.all(runs);
}

async function needsApproval(tool: ToolDefinition, input: unknown): Promise<boolean> {
  const rule = tool.needsApproval;
  try {
    return typeof rule === 'function' ? await rule(input) : rule === true;
  } catch {
    // A check that fails errs on the side of asking the person.
    return true;
  }
}
