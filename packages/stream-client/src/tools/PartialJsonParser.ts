/** An object or array still being read, and where in it the reader is. */
interface Frame {
  readonly array: boolean;
  /** The members read whole; never changed once added, so a snapshot may share them. */
  readonly members: Record<string, unknown> | unknown[];
  /** The object member whose value is being read. */
  key: string | undefined;
  /** What comes next: a key (objects), a value, or a comma or the end. */
  expect: 'key' | 'colon' | 'value' | 'next';
}

/** A string, number or literal being read. */
interface Scalar {
  kind: 'string' | 'key' | 'number' | 'literal';
  text: string;
  /** A backslash escape begun and not yet complete, for strings and keys. */
  escape: string;
}

const WHITESPACE = /[ \t\n\r]/;
const NUMBER_CHARACTER = /[-+0-9.eE]/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** The longest prefix of a number that is a number itself: `12.` reads as 12, `-` as nothing yet. */
const NUMBER_PREFIX = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const LITERALS: Readonly<Record<string, unknown>> = { true: true, false: false, null: null };
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Reads JSON as it streams in (a tool call's arguments, delta by delta) and gives, at any moment,
 * the value so far: objects with the members begun, arrays with the items begun, a string as far
 * as it has come, a number as far as it is one. Keys and literals appear only once whole, so the
 * value never holds a key or a `true` that will turn out to be something else.
 *
 * Each character is read once, so the total work is linear in the text however it is split
 * (re-parsing the whole buffer on every delta is quadratic). `value` makes a new snapshot only
 * when something changed, and only of the objects and arrays still open: whole members are
 * shared between snapshots, never copied again.
 *
 * @example
 * ```ts
 * const parser = new PartialJsonParser();
 * parser.feed('{"city": "Par');
 * parser.value; // { city: 'Par' }
 * parser.feed('is", "days": [1, 2');
 * parser.value; // { city: 'Paris', days: [1, 2] }
 * ```
 */
export class PartialJsonParser {
  private readonly stack: Frame[] = [];
  private scalar: Scalar | undefined;
  private root: unknown;
  private hasRoot = false;
  private snapshot: unknown;
  private changed = false;
  private position = 0;
  /** Why the text is not JSON, once it is known not to be; reading stops there. */
  error: string | undefined;

  /** Reads the next piece of the text. */
  feed(text: string): void {
    if (this.error !== undefined) return;
    let index = 0;
    const length = text.length;
    while (index < length && this.error === undefined) {
      const scalar = this.scalar;
      if (scalar !== undefined && (scalar.kind === 'string' || scalar.kind === 'key')) {
        index = this.readString(scalar, text, index);
        continue;
      }
      const character = text[index]!;
      if (scalar !== undefined) {
        if (scalar.kind === 'number' ? NUMBER_CHARACTER.test(character) : /[a-z]/.test(character)) {
          scalar.text += character;
          if (scalar.kind === 'literal' && !literalPrefix(scalar.text)) this.fail(`"${scalar.text}" is not a value`);
          this.changed = true;
          index++;
          continue;
        }
        this.endScalar(scalar);
        continue;
      }
      this.readStructure(character);
      index++;
    }
    this.position += length;
  }

  /**
   * The value so far: `undefined` before any of it. The same object until more of the value
   * arrives; treat it as read-only, since whole members are shared with later snapshots.
   */
  get value(): unknown {
    if (!this.changed) return this.snapshot;
    this.changed = false;
    let inner: { value: unknown } | undefined;
    const scalar = this.scalar;
    if (scalar !== undefined && scalar.kind !== 'key') {
      const value = partialScalar(scalar);
      if (value !== undefined) inner = { value };
    }
    for (let depth = this.stack.length - 1; depth >= 0; depth--) {
      const frame = this.stack[depth]!;
      const copy: Record<string, unknown> | unknown[] = frame.array
        ? (frame.members as unknown[]).slice()
        : { ...(frame.members as Record<string, unknown>) };
      if (inner !== undefined) {
        if (frame.array) (copy as unknown[]).push(inner.value);
        else if (frame.key !== undefined) put(copy as Record<string, unknown>, frame.key, inner.value);
      }
      inner = { value: copy };
    }
    this.snapshot = this.hasRoot ? this.root : inner?.value;
    return this.snapshot;
  }

  /** Whether a whole JSON value has been read. */
  get complete(): boolean {
    return this.hasRoot && this.error === undefined;
  }

  /**
   * The text has ended: a number or literal at the very end is whole now. Returns the value, or `undefined`
   * with `error` set when the text was not one whole JSON value.
   */
  end(): unknown {
    const scalar = this.scalar;
    if (this.error === undefined && (scalar?.kind === 'number' || scalar?.kind === 'literal')) this.endScalar(scalar);
    if (this.error === undefined && !this.hasRoot) this.fail('the JSON value is unfinished');
    return this.error === undefined ? this.root : undefined;
  }

  /** Reads a string or key from `index` up to its closing quote or the end of `text`. */
  private readString(scalar: Scalar, text: string, index: number): number {
    this.changed ||= scalar.kind === 'string';
    // The next quote and backslash, each found once and reused until passed: a text full of
    // escapes is still searched in one pass.
    let quote = -2;
    let backslash = -2;
    while (index < text.length) {
      if (scalar.escape !== '') {
        scalar.escape += text[index++];
        const escape = scalar.escape;
        if (escape[1] === 'u') {
          if (escape.length < 6) continue;
          if (!/^\\u[0-9a-fA-F]{4}$/.test(escape)) return (this.fail(`"${escape}" is not an escape`), text.length);
          scalar.text += String.fromCharCode(Number.parseInt(escape.slice(2), 16));
        } else {
          const escaped = ESCAPES[escape[1]!];
          if (escaped === undefined) return (this.fail(`"${escape}" is not an escape`), text.length);
          scalar.text += escaped;
        }
        scalar.escape = '';
        continue;
      }
      // Find the next quote or backslash with the engine's own search: most of a string is plain.
      if (quote !== -1 && quote < index) quote = text.indexOf('"', index);
      if (backslash !== -1 && backslash < index) backslash = text.indexOf('\\', index);
      const stop = quote === -1 ? backslash : backslash === -1 ? quote : Math.min(quote, backslash);
      if (stop === -1) {
        scalar.text += text.slice(index);
        return text.length;
      }
      scalar.text += text.slice(index, stop);
      if (stop === backslash) {
        scalar.escape = '\\';
        index = stop + 1;
        continue;
      }
      this.endScalar(scalar);
      return stop + 1;
    }
    return index;
  }

  /** Reads one character between values: a bracket, a colon, a comma, whitespace or a value's start. */
  private readStructure(character: string): void {
    if (WHITESPACE.test(character)) return;
    const frame = this.stack.at(-1);
    if (frame === undefined && this.hasRoot) return this.fail(`"${character}" after the whole value`);
    if (frame !== undefined) {
      if (frame.expect === 'colon') {
        if (character !== ':') return this.fail(`"${character}" where ":" was expected`);
        frame.expect = 'value';
        return;
      }
      if (frame.expect === 'next') {
        if (character === ',') {
          frame.expect = frame.array ? 'value' : 'key';
          return;
        }
        if (character === (frame.array ? ']' : '}')) return this.close();
        return this.fail(`"${character}" where "," or "${frame.array ? ']' : '}'}" was expected`);
      }
      if (frame.expect === 'key') {
        if (character === '"') {
          this.scalar = { kind: 'key', text: '', escape: '' };
          return;
        }
        const empty = Array.isArray(frame.members) ? false : Object.keys(frame.members).length === 0;
        if (character === '}' && empty) return this.close();
        return this.fail(`"${character}" where a key was expected`);
      }
      if (character === ']' && frame.array && (frame.members as unknown[]).length === 0) return this.close();
    }
    this.changed = true;
    if (character === '{' || character === '[') {
      this.stack.push({
        array: character === '[',
        members: character === '[' ? [] : {},
        key: undefined,
        expect: character === '[' ? 'value' : 'key',
      });
    } else if (character === '"') {
      this.scalar = { kind: 'string', text: '', escape: '' };
    } else if (character === '-' || (character >= '0' && character <= '9')) {
      this.scalar = { kind: 'number', text: character, escape: '' };
    } else if (character === 't' || character === 'f' || character === 'n') {
      this.scalar = { kind: 'literal', text: character, escape: '' };
    } else {
      this.fail(`"${character}" where a value was expected`);
    }
  }

  /** A scalar is whole: a key waits for its value, anything else becomes one. */
  private endScalar(scalar: Scalar): void {
    this.scalar = undefined;
    this.changed = true;
    if (scalar.kind === 'key') {
      const frame = this.stack.at(-1)!;
      frame.key = scalar.text;
      frame.expect = 'colon';
      return;
    }
    if (scalar.kind === 'number' && !NUMBER.test(scalar.text)) return this.fail(`"${scalar.text}" is not a number`);
    if (scalar.kind === 'literal' && !(scalar.text in LITERALS)) return this.fail(`"${scalar.text}" is not a value`);
    this.addValue(partialScalar(scalar));
  }

  /** The open object or array closes: it is a whole value now. */
  private close(): void {
    this.changed = true;
    this.addValue(this.stack.pop()!.members);
  }

  /** A whole value, into the open object or array, or as the root. */
  private addValue(value: unknown): void {
    const frame = this.stack.at(-1);
    if (frame === undefined) {
      this.root = value;
      this.hasRoot = true;
      return;
    }
    if (frame.array) (frame.members as unknown[]).push(value);
    else put(frame.members as Record<string, unknown>, frame.key!, value);
    frame.key = undefined;
    frame.expect = 'next';
  }

  private fail(why: string): void {
    this.error ??= `The arguments are not valid JSON: ${why} (near character ${this.position}).`;
    this.scalar = undefined;
  }
}

/** A scalar's value so far, or `undefined` while it is no value yet. */
function partialScalar(scalar: Scalar): unknown {
  if (scalar.kind === 'string') return scalar.text;
  if (scalar.kind === 'literal') return scalar.text in LITERALS ? LITERALS[scalar.text] : undefined;
  const prefix = NUMBER_PREFIX.exec(scalar.text)?.[0];
  return prefix === undefined || prefix === '' || prefix === '-' ? undefined : Number(prefix);
}

function literalPrefix(text: string): boolean {
  return 'true'.startsWith(text) || 'false'.startsWith(text) || 'null'.startsWith(text);
}

/** Sets a member as JSON.parse does: `__proto__` is a key like any other, never the prototype. */
function put(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}
