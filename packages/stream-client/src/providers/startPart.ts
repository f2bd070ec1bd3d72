import { read } from './read.js';
import type { StreamPart } from './StreamPart.js';

/** A start part from a provider's response id and model, leaving out what it did not send as a string. */
export function startPart(id: unknown, model: unknown): StreamPart {
  const responseId = read.string(id);
  const modelName = read.string(model);
  return {
    type: 'start',
    ...(responseId === undefined ? {} : { id: responseId }),
    ...(modelName === undefined ? {} : { model: modelName }),
  };
}
