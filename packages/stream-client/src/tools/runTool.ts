import type { JsonSchema, StandardSchema } from './ToolDefinition.js';
import { checkToolInput } from './checkToolInput.js';

/** How a tool's run ended: its result, or the words of its failure, for the model to read. */
export type ToolOutcome = { output: unknown } | { errorText: string };

/**
 * Runs one tool call: checks its arguments against the tool's schema, then runs it with a signal
 * that aborts on `signal` or after `timeoutMs`. Every way it can go wrong (arguments that do not
 * fit, a run that throws, rejects, hangs or is stopped) becomes an `errorText`, never an
 * exception: the model reads it and can try again.
 */
export async function runTool(
  tool: { parameters?: JsonSchema | StandardSchema<unknown> | undefined; jsonSchema?: JsonSchema | undefined },
  input: unknown,
  run: (value: unknown, signal: AbortSignal) => unknown,
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<ToolOutcome> {
  try {
    const checked = await checkToolInput(tool, input);
    if ('problem' in checked) return { errorText: `The arguments do not fit the tool's schema: ${checked.problem}.` };
    const controller = new AbortController();
    const abort = () => controller.abort(options.signal.reason);
    if (options.signal.aborted) abort();
    else options.signal.addEventListener('abort', abort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = new Promise<ToolOutcome>((resolve) => {
      controller.signal.addEventListener(
        'abort',
        () => resolve({ errorText: options.signal.aborted ? 'The tool was stopped.' : timedOut(options.timeoutMs) }),
        { once: true },
      );
      if (options.timeoutMs > 0 && options.timeoutMs < Infinity) {
        timer = setTimeout(() => controller.abort(new Error(timedOut(options.timeoutMs))), options.timeoutMs);
      }
    });
    try {
      return await Promise.race([
        Promise.resolve(run(checked.value, controller.signal)).then((output): ToolOutcome => ({ output })),
        ended,
      ]);
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', abort);
    }
  } catch (error) {
    return { errorText: `The tool failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function timedOut(milliseconds: number): string {
  return `The tool did not finish within ${milliseconds >= 1000 ? `${milliseconds / 1000} s` : `${milliseconds} ms`}.`;
}
