'use client';
/**
 * `@sluice/react/pacing`: streamed text shown at the pace it arrives, on its own entry so that
 * apps that show text as it comes never load it.
 *
 * @packageDocumentation
 */
export { pacing } from './pacing.js';
export { usePacedText } from './usePacedText.js';
export type { UsePacedTextOptions } from './usePacedText.js';
