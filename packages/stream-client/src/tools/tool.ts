import type { ToolDefinition } from './ToolDefinition.js';

/**
 * Writes a tool with its input typed from its `parameters`: a Standard Schema's output type, or the
 * type you give. It returns the definition as it is.
 *
 * @example
 * ```ts
 * const weather = tool({
 *   description: 'The weather in a city now.',
 *   parameters: z.object({ city: z.string() }),
 *   execute: async ({ city }) => fetchWeather(city),
 * });
 * ```
 */
export function tool<Input = unknown, Output = unknown>(
  definition: ToolDefinition<Input, Output>,
): ToolDefinition<Input, Output> {
  return definition;
}
