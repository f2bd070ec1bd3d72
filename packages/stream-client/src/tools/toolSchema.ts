import type { JsonSchema, StandardSchema, ToolDefinition, ToolSpec } from './ToolDefinition.js';
import { validateJsonSchema } from './validateJsonSchema.js';

/** Whether a tool's parameters are a Standard Schema (zod, Valibot, ArkType) rather than JSON Schema. */
function isStandardSchema(parameters: unknown): parameters is StandardSchema {
  const standard = (parameters as { '~standard'?: { validate?: unknown } } | null)?.['~standard'];
  return typeof standard?.validate === 'function';
}

/** An object with no properties: the arguments of a tool that takes none. */
const NO_ARGUMENTS: JsonSchema = { type: 'object', properties: {} };

/**
 * A tool as a provider request describes it: its JSON Schema from `jsonSchema`, from JSON Schema
 * `parameters`, or from a Standard Schema that can give one (zod 4.2+, ArkType). A Standard
 * Schema that cannot, without `jsonSchema`, is the app's mistake, said at once.
 */
export function toolSpec(
  name: string,
  tool: Pick<ToolDefinition, 'parameters' | 'jsonSchema' | 'description'>,
): ToolSpec {
  const { parameters, jsonSchema, description } = tool;
  let schema: JsonSchema | undefined = jsonSchema;
  if (schema === undefined && parameters !== undefined) {
    if (!isStandardSchema(parameters)) schema = parameters;
    else {
      const converter = parameters['~standard'].jsonSchema;
      if (converter === undefined) {
        throw new TypeError(
          `Tool "${name}": its parameters are a ${parameters['~standard'].vendor} schema that cannot describe itself as JSON Schema; pass the JSON Schema as jsonSchema too.`,
        );
      }
      const { $schema: _dialect, ...converted } = converter.input({ target: 'draft-07' });
      schema = converted;
    }
  }
  return { name, ...(description === undefined ? {} : { description }), parameters: schema ?? NO_ARGUMENTS };
}

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
  const problem = schema === undefined ? undefined : validateJsonSchema(input, schema);
  return problem === undefined ? { value: input } : { problem };
}
