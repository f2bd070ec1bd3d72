/**
 * `@sluice/stream-client/pacing`: smooth pacing of streamed text, on its own entry so that apps that
 * show text as it arrives never load it.
 *
 * @packageDocumentation
 */
export { TextPacer, DEFAULT_MAX_DELAY_MS } from './TextPacer.js';
export type { TextPacerOptions } from './TextPacer.js';
export type { PacingClock } from './PacingClock.js';
export { animationFrameClock } from './animationFrameClock.js';
