import { isStandardSchema } from './isStandardSchema.js';
import type { ToolDefinition } from './ToolDefinition.js';

/**
 * Checks a call's arguments: with the Standard Schema's own validator (whose output, after its
 * transforms, is what the tool gets), or against the JSON Schema. Resolves to the value to run
 * the tool with, or to why the arguments do not fit.
 */
export async function checkToolInput(
  tool: Pick<ToolDefinition, 'parameters' | 'jsonSchema'>,
  input: unknown,
): Promise<{ value: unknown } | { problem: string }> {
  const { parameters } = tool;
  if (isStandardSchema(parameters)) {
    const result = await parameters['~standard'].validate(input);
    if (result.issues === undefined) return { value: result.value };
    const issue = result.issues[0];
    const path = issue?.path?.map((key) =>
      typeof key === 'object' && key !== null ? (key as { key: unknown }).key : key,
    );
    return {
      problem: `${path !== undefined && path.length > 0 ? `"${path.join('.')}": ` : ''}${issue?.message ?? 'the arguments do not fit the schema'}`,
    };
  }
  const schema = tool.jsonSchema ?? parameters;
  if (schema === undefined) return { value: input };
  // Loaded on first use: a chat without tools never ships the validator.
  const { validateJsonSchema } = await import('./validateJsonSchema.js');
  const problem = validateJsonSchema(input, schema);
  return problem === undefined ? { value: input } : { problem };
}
