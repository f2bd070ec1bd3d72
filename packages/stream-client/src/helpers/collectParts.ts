import type { StreamPart } from '../providers/StreamPart.js';
import { MetricsRecorder } from '../transport/MetricsRecorder.js';
import { ResultAccumulator } from '../transport/ResultAccumulator.js';
import { resolveStreamLimits } from '../transport/StreamLimits.js';
import type { StreamLimits } from '../transport/StreamLimits.js';
import { providerFailure } from '../transport/providerFailure.js';
import { StreamError } from '../transport/StreamError.js';
import type { Pricing, StreamResult } from '../transport/StreamResult.js';

/**
 * Reads a whole stream of parts into a {@link StreamResult}, timing it from the call. For a
 * `TextStream`, `result()` already does this; use this for parts from anywhere else (a relay, a
 * queue, a recording). An error part rejects with a {@link StreamError} of kind `provider`
 * carrying what came before it.
 */
export async function collectParts(
  parts: AsyncIterable<StreamPart>,
  options: { pricing?: Pricing; limits?: StreamLimits } = {},
): Promise<StreamResult> {
  const accumulator = new ResultAccumulator(resolveStreamLimits(options.limits));
  const metrics = new MetricsRecorder();
  metrics.attempts = 1;
  const snapshot = () => {
    metrics.end();
    return accumulator.snapshot(metrics.snapshot(accumulator.outputTokens), options.pricing);
  };
  for await (const part of parts) {
    const excess = accumulator.excess(part);
    if (excess !== undefined) {
      throw new StreamError(`The stream was refused: ${excess}.`, {
        kind: 'protocol',
        retryable: false,
        partial: snapshot(),
      });
    }
    if (part.type === 'error') {
      const { message, details } = providerFailure(part);
      throw new StreamError(message, { ...details, partial: snapshot() });
    }
    if (accumulator.add(part)) metrics.token();
  }
  return snapshot();
}
