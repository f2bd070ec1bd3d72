'use client';
/**
 * `@sluice/react/math`: formulas in a message's markdown, rendered by KaTeX, on its own entry so
 * that apps without math never load it.
 *
 * @packageDocumentation
 */
export { math } from './math.js';
export { MathFormula } from './MathFormula.js';
export type { MathFormulaProps } from './MathFormula.js';
export type { MathToken } from './MathToken.js';
