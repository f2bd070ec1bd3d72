/**
 * Bounds on what one stream may make the client hold, so a hostile or broken stream (a proxy
 * gone wrong, a compromised relay) cannot exhaust memory with a few bytes. Past one, the stream
 * fails with kind `protocol`, keeping what came before.
 */
export interface StreamLimits {
  /** Choices of an `n > 1` request: indexes from 0 to this minus one. Default 128 (OpenAI's own maximum). */
  maxChoices?: number | undefined;
  /** Tool calls, server tool calls and tool requests in all. Default 1,024. */
  maxToolCalls?: number | undefined;
  /** Parts in all (each text delta is one). Default 1,000,000. */
  maxParts?: number | undefined;
}

/** {@link StreamLimits} with every default filled in. */
export type ResolvedStreamLimits = { readonly [Key in keyof StreamLimits]-?: Exclude<StreamLimits[Key], undefined> };

/** The limits as given, defaults filled in. */
export function resolveStreamLimits(limits: StreamLimits = {}): ResolvedStreamLimits {
  // Each default by `??`: a limit given as undefined is no limit given.
  return {
    maxChoices: limits.maxChoices ?? 128,
    maxToolCalls: limits.maxToolCalls ?? 1024,
    maxParts: limits.maxParts ?? 1_000_000,
  };
}
