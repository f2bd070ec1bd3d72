import type { ChatMessage } from '../stores/ChatSession.js';

/** A JSON Schema (draft 2020-12 or 07) describing a tool's arguments, as providers take it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** What a Standard Schema validator (zod, Valibot, ArkType...) returns for a value. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<unknown> }> };

/**
 * A schema of any library that implements Standard Schema (zod 3.24+, Valibot, ArkType): Sluice
 * validates with it. To describe the arguments to the provider it needs JSON Schema too: libraries
 * that implement Standard JSON Schema (zod 4.2+, ArkType) give it themselves; for the others, pass
 * the JSON Schema as the tool's `jsonSchema`.
 */
export interface StandardSchema<Output = unknown> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    validate(value: unknown): StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
    /** Standard JSON Schema: the schema as JSON Schema, for the provider. */
    readonly jsonSchema?: { input(options: { target: string }): Record<string, unknown> } | undefined;
  };
}

/** What a tool's `execute` is given besides its arguments. */
export interface ToolExecuteOptions {
  /** Aborts when the person presses Stop, or the tool runs past its time. */
  signal: AbortSignal;
  /** The id of the call, which its result goes back with. */
  toolCallId: string;
  /** The conversation, up to the message that made the call. */
  messages: readonly ChatMessage[];
}

/**
 * A function type whose parameter is checked both ways, as a method's is: a tool written for
 * `{ city: string }` fits a list of tools of any input.
 */
type Bivariant<Arguments extends unknown[], Result> = {
  bivariant(...values: Arguments): Result;
}['bivariant'];

/**
 * A tool the model may call, run in the browser. With `execute`, it runs as soon as its call is
 * whole (or once approved, with `needsApproval`), and its result goes back to the model; without,
 * the call waits for `addToolResult` (a tool the person answers, or the app runs elsewhere).
 * Write it with {@link tool} to have its input typed from a Standard Schema.
 */
export interface ToolDefinition<Input = unknown, Output = unknown> {
  /** What the tool does and when to use it: the model reads this. */
  description?: string | undefined;
  /** The arguments: a JSON Schema, or a Standard Schema (zod, Valibot, ArkType) to validate them with too. */
  parameters?: JsonSchema | StandardSchema<Input> | undefined;
  /** The arguments as JSON Schema, for a Standard Schema that cannot give it itself. */
  jsonSchema?: JsonSchema | undefined;
  /** Runs the tool; what it returns (or its promise resolves to) is the result; what it throws, the error. */
  execute?(input: Input, options: ToolExecuteOptions): Output | Promise<Output>;
  /** Waits for a person to approve each call (or those for which this returns true) before it runs. */
  needsApproval?: boolean | Bivariant<[input: Input], boolean | Promise<boolean>> | undefined;
}

/** A tool as a request describes it to a provider: its name, description and JSON Schema. */
export interface ToolSpec {
  name: string;
  description?: string | undefined;
  parameters: JsonSchema;
}
