import type { ChatRequest } from '../stores/buildChatRequestBody.js';
import type { JsonSchema, StandardSchema } from '../tools/ToolDefinition.js';
import type { ChatContext } from './createChatHandler.js';

/** What a server tool's `execute` is given besides its arguments. */
export interface ChatToolOptions {
  /** Aborts when the reply is stopped, the client leaves, or the tool runs past its time. */
  signal: AbortSignal;
  /** The id of the call, which its result goes back with. */
  toolCallId: string;
  /** The request the reply answers: check in the tool what the caller may do. */
  context: ChatContext;
  /** The conversation as sent to the provider. */
  chat: ChatRequest;
  /**
   * Sends data to the client as the tool works (progress, a status, a partial result): it arrives
   * as a `data-<name>` part of the reply; a later piece with the same `id` replaces the earlier one.
   */
  data(name: string, data: unknown, id?: string): void;
}

/**
 * A function type whose parameter is checked both ways, as a method's is: a tool written for
 * `{ city: string }` fits a list of tools of any input.
 */
type Bivariant<Arguments extends unknown[], Result> = {
  bivariant(...values: Arguments): Result;
}['bivariant'];

/**
 * A tool the chat handler runs on the server, with what only the server has (a database, secrets,
 * internal services). Its calls and results stream to the client as parts, and the handler calls
 * the provider again with the results, step after step. Its arguments come from the model, and a
 * call the person approved comes back from the browser: check in `execute` what the caller may do.
 */
export interface ChatHandlerTool<Input = unknown, Output = unknown> {
  /** What the tool does and when to use it: the model reads this. */
  description?: string | undefined;
  /** The arguments: a JSON Schema, or a Standard Schema (zod, Valibot, ArkType) to validate them with too. */
  parameters?: JsonSchema | StandardSchema<Input> | undefined;
  /** The arguments as JSON Schema, for a Standard Schema that cannot give it itself. */
  jsonSchema?: JsonSchema | undefined;
  /** Runs the tool; what it returns is the result, what it throws the error the model reads. */
  execute(input: Input, options: ChatToolOptions): Output | Promise<Output>;
  /**
   * Waits for a person's approval of each call (or those for which this returns true): the reply
   * ends there, and the call runs when the client sends the approval with its next request.
   */
  needsApproval?: boolean | Bivariant<[input: Input, context: ChatContext], boolean | Promise<boolean>> | undefined;
}
