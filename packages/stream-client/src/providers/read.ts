import { DecoderError } from './DecoderError.js';

/**
 * Reads a field of a provider's JSON as the type a part needs, or not at all: provider JSON comes
 * from the network (a proxy, a relay, a provider incident), so a field of the wrong type is left
 * out, never coerced, and a key is never looked up on `Object.prototype`.
 */
export const read = {
  /** The value when it is a non-empty string. */
  string(value: unknown): string | undefined {
    return typeof value === 'string' && value !== '' ? value : undefined;
  },

  /** The value when it is a string, empty or not. */
  anyString(value: unknown): string | undefined {
    return typeof value === 'string' ? value : undefined;
  },

  /** The value when it is a count: a finite number of at least 0. */
  count(value: unknown): number | undefined {
    return typeof value === 'number' && value >= 0 && value < Infinity ? value : undefined;
  },

  /**
   * An index (a choice, a block, a tool call's place): `fallback` when absent, else a whole number
   * of at least 0, or the stream is malformed.
   */
  index(value: unknown, fallback: number, what: string): number {
    if (value === undefined || value === null) return fallback;
    if (Number.isSafeInteger(value) && (value as number) >= 0) return value as number;
    throw new DecoderError(
      `A ${what} index must be a whole number of at least 0, not ${JSON.stringify(value)}.`,
      'protocol',
      false,
    );
  },

  /** The table's own entry for `key`: `toString` or `__proto__` find nothing. */
  own<Value>(table: Readonly<Record<string, Value>>, key: unknown): Value | undefined {
    return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
  },

  /** The value when it is a plain JSON object. */
  object(value: unknown): Record<string, unknown> | undefined {
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  },
};
