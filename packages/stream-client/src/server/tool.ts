import type { ChatHandlerTool } from './ChatHandlerTool.js';

/**
 * Writes a tool of the chat handler with its input typed: from a Standard Schema's output type,
 * or the type you give. It returns the definition as it is.
 *
 * @example
 * ```ts
 * const orderStatus = tool<{ orderId: string }>({
 *   description: 'The status of one of the customer’s orders.',
 *   parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
 *   execute: ({ orderId }, { context }) => orders.status(orderId, context.headers),
 * });
 * ```
 */
export function tool<Input = unknown, Output = unknown>(
  definition: ChatHandlerTool<Input, Output>,
): ChatHandlerTool<Input, Output> {
  return definition;
}
