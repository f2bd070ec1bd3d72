import type { StreamPart } from './StreamPart.js';

/** A start part from a provider's response id and model, leaving out what it did not send. */
export function startPart(id: string | undefined, model: string | undefined): StreamPart {
  return {
    type: 'start',
    ...(id === undefined ? {} : { id }),
    ...(model === undefined ? {} : { model }),
  };
}
