import type { StandardSchema } from './ToolDefinition.js';

/** Whether a tool's parameters are a Standard Schema (zod, Valibot, ArkType) rather than JSON Schema. */
export function isStandardSchema(parameters: unknown): parameters is StandardSchema {
  const standard = (parameters as { '~standard'?: { validate?: unknown } } | null)?.['~standard'];
  return typeof standard?.validate === 'function';
}
