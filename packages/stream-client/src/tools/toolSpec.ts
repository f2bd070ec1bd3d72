import { isStandardSchema } from './isStandardSchema.js';
import type { JsonSchema, ToolDefinition, ToolSpec } from './ToolDefinition.js';

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
