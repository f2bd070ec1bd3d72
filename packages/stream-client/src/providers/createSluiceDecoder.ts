import type { Decoder } from './Decoder.js';
import type { StreamPart, StreamPartType } from './StreamPart.js';

/** The event names of the sluice protocol: one per {@link StreamPart} type. */
export const sluicePartTypes: ReadonlySet<string> = new Set<StreamPartType>([
  'start',
  'text-delta',
  'reasoning-delta',
  'refusal-delta',
  'tool-call-start',
  'tool-call-delta',
  'tool-call',
  'usage',
  'finish',
  'error',
]);

/**
 * Decodes the `sluice` protocol that `relay` writes: one event per {@link StreamPart}, the event
 * name being the part's type and the data its other fields as JSON, with a numeric `id:` on every
 * event. Events at or below the last id seen are dropped, so a server that replays a little too
 * much after a reconnection never repeats a token.
 */
export function createSluiceDecoder(): Decoder {
  let lastSequence = -1;
  return {
    format: 'sluice',
    decode(event, emit) {
      if (!sluicePartTypes.has(event.type)) return;
      if (event.lastEventId !== '') {
        const sequence = Number(event.lastEventId);
        if (Number.isInteger(sequence)) {
          if (sequence <= lastSequence) return;
          lastSequence = sequence;
        }
      }
      const fields = JSON.parse(event.data) as Record<string, unknown>;
      if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
        throw new SyntaxError(`a sluice "${event.type}" event must carry a JSON object`);
      }
      if (event.type === 'text-delta' && typeof fields['text'] !== 'string') {
        throw new SyntaxError('a sluice "text-delta" event must carry a "text" string');
      }
      emit({ ...fields, type: event.type } as StreamPart);
    },
  };
}
