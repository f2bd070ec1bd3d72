import { Subscribable } from '../stores/Subscribable.js';
import { animationFrameClock } from './animationFrameClock.js';
import type { PacingClock } from './PacingClock.js';

/** The longest a character waits between arriving and being shown, by default: 300 ms. */
export const DEFAULT_MAX_DELAY_MS = 300;

/** Options of a {@link TextPacer}. */
export interface TextPacerOptions {
  /**
   * The longest a character waits between arriving and being shown, in milliseconds (300 by
   * default): the pacer speeds up rather than fall further behind. `0` turns pacing off, so every
   * text shows as it is pushed (for an app's own tests, say).
   */
  maxDelayMs?: number | undefined;
  /** The time and the frames: animation frames by default; tests pass a fake clock. */
  clock?: PacingClock | undefined;
}

/** Arrivals less than a frame apart share one deadline: it keeps the list a frame's work can walk short. */
const SAME_FRAME_MS = 16;
/** How much of the arrival-rate estimate each new arrival keeps of the old: about the last four arrivals count. */
const KEEP = 0.75;
/** How many characters at each end of the old text a new text must repeat to count as its continuation. */
const CHECKED_AT_EACH_END = 8;

/**
 * Shows streamed text at the pace it arrives instead of in the lumps a bursty provider sends: a
 * store, framework-free, fed the whole text so far with `push` and read with `getSnapshot`.
 *
 * - The first text after an empty one (the first token) shows at once: pacing never delays it.
 * - After that, characters are released once per animation frame at the arrival rate, estimated
 *   as an exponentially weighted average over recent arrivals (a pause longer than `maxDelayMs`
 *   counts as `maxDelayMs`, so a tool call's silence does not make the estimate crawl).
 * - It never falls more than `maxDelayMs` behind: each arrival is released, at the least, evenly
 *   over the `maxDelayMs` after it arrived, and is shown whole on the first frame at or after that.
 * - `finish()` shows everything at once: call it when the stream finishes, is stopped or fails.
 * - A text that does not continue the previous one starts afresh, shown at once.
 * - A release never ends inside a character as a reader sees it: a surrogate pair, an emoji with
 *   a skin tone or joined to others, a flag, a letter and its accents.
 *
 * Costs: `push` and each frame do work bounded by a constant, never by the text's length: a frame
 * walks the arrivals of the last `maxDelayMs` (those less than a frame apart merged, so about 20 by
 * default) and takes one slice of the text, which JavaScript engines make without copying long
 * strings. Whether a new text continues the old one is checked at the old text's two ends, not all
 * through, for the same reason: a text rewritten only in its middle is taken as a continuation.
 *
 * @example
 * ```ts
 * const pacer = new TextPacer();
 * pacer.subscribe(() => render(pacer.getSnapshot()));
 * stream.on('text', (_delta, text) => pacer.push(text));
 * // Finished, stopped or failed: everything received shows at once.
 * const finish = () => pacer.finish();
 * stream.result().then(finish, finish);
 * ```
 */
export class TextPacer extends Subscribable {
  private readonly clock: PacingClock;
  private readonly maxDelayMs: number;
  /** Everything pushed so far. */
  private text = '';
  /** How many UTF-16 code units of `text` are shown. */
  private shown = 0;
  private snapshot = '';
  /** Where each arrival still being released ends in `text`, and when it must be shown whole by; from `head` on. */
  private readonly arrivalEnds: number[] = [];
  private readonly arrivalDeadlines: number[] = [];
  private head = 0;
  /** The arrival-rate estimate as two decaying sums: characters arrived, over milliseconds elapsed. */
  private arrivedCharacters = 0;
  private elapsedMs = 0;
  private lastArrival: number | undefined;
  private lastFrame = 0;
  /** The fraction of a character earned but not yet released, carried to the next frame. */
  private owed = 0;
  private cancelFrame: (() => void) | undefined;

  /** @param options - the longest delay, and the clock to run on */
  constructor(options: TextPacerOptions = {}) {
    super();
    this.clock = options.clock ?? animationFrameClock;
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
  }

  /** The text to show now; the same string until it changes. */
  readonly getSnapshot = (): string => this.snapshot;

  /**
   * Takes the whole text received so far. A continuation of the previous text is released over the
   * next frames; the first text, or one that does not continue the previous, shows at once.
   */
  push(text: string): void {
    const previous = this.text;
    if (text.length === previous.length && text === previous) {
      this.resume();
      return;
    }
    const now = this.clock.now();
    if (previous.length === 0 || this.maxDelayMs === 0 || !continues(previous, text)) {
      this.restart(text, now);
      return;
    }
    if (this.lastArrival !== undefined) {
      this.arrivedCharacters = this.arrivedCharacters * KEEP + (text.length - previous.length);
      this.elapsedMs = this.elapsedMs * KEEP + Math.min(now - this.lastArrival, this.maxDelayMs);
    }
    this.lastArrival = now;
    this.text = text;
    const deadline = now + this.maxDelayMs;
    const last = this.arrivalEnds.length - 1;
    if (last >= this.head && this.arrivalDeadlines[last]! > deadline - SAME_FRAME_MS) {
      this.arrivalEnds[last] = text.length;
    } else {
      this.arrivalEnds.push(text.length);
      this.arrivalDeadlines.push(deadline);
    }
    this.resume();
  }

  /** Shows all the text pushed, at once: for a stream that finished, was stopped or failed. */
  finish(): void {
    this.stopFrames();
    this.forgetArrivals();
    this.owed = 0;
    if (this.shown < this.text.length) this.show(this.text.length);
  }

  /** Cancels the frame asked for; nothing more is scheduled until the next `push`. */
  dispose(): void {
    this.stopFrames();
  }

  /** The arrival rate, in characters per millisecond; 0 until two arrivals have been seen. */
  private rate(): number {
    return this.elapsedMs > 0 ? this.arrivedCharacters / this.elapsedMs : 0;
  }

  /** A first text, or a new one: shown at once, and the rate measured afresh. */
  private restart(text: string, now: number): void {
    this.stopFrames();
    this.forgetArrivals();
    this.text = text;
    this.owed = 0;
    this.arrivedCharacters = 0;
    this.elapsedMs = 0;
    this.lastArrival = text.length === 0 ? undefined : now;
    if (text !== this.snapshot) this.show(text.length);
    else this.shown = text.length;
  }

  /** Asks for a frame if characters are waiting and none is asked for (a `dispose` may have cancelled it). */
  private resume(): void {
    if (this.shown === this.text.length || this.cancelFrame !== undefined) return;
    this.lastFrame = this.clock.now();
    this.cancelFrame = this.clock.requestFrame(this.release);
  }

  private readonly release = (): void => {
    this.cancelFrame = undefined;
    const now = this.clock.now();
    const since = this.lastFrame;
    this.lastFrame = now;
    // Each arrival's deadline asks for a speed that shows it whole by then if kept from the last
    // frame on; an arrival past its deadline is shown whole now, whatever the speed.
    let speed = this.rate();
    let atLeast = this.shown;
    for (let index = this.head; index < this.arrivalEnds.length; index++) {
      const end = this.arrivalEnds[index]!;
      const deadline = this.arrivalDeadlines[index]!;
      if (deadline <= now) atLeast = end;
      else speed = Math.max(speed, (end - this.shown) / (deadline - since));
    }
    this.owed += speed * (now - since);
    const earned = Math.floor(this.owed);
    this.owed -= earned;
    let end = Math.min(this.text.length, Math.max(atLeast, this.shown + earned));
    end = characterEnd(this.text, end, this.shown);
    while (this.head < this.arrivalEnds.length && this.arrivalEnds[this.head]! <= end) this.head += 1;
    if (this.head === this.arrivalEnds.length) this.forgetArrivals();
    if (end === this.text.length) this.owed = 0;
    if (end > this.shown) this.show(end);
    this.resume();
  };

  private show(end: number): void {
    this.shown = end;
    this.snapshot = end === this.text.length ? this.text : this.text.slice(0, end);
    this.notify();
  }

  private stopFrames(): void {
    this.cancelFrame?.();
    this.cancelFrame = undefined;
  }

  private forgetArrivals(): void {
    this.arrivalEnds.length = 0;
    this.arrivalDeadlines.length = 0;
    this.head = 0;
  }
}

/** Whether `text` is `previous` with more after it, judged by `previous`'s first and last characters. */
function continues(previous: string, text: string): boolean {
  if (text.length <= previous.length) return false;
  const checked = Math.min(CHECKED_AT_EACH_END, previous.length);
  for (let index = 0; index < checked; index++) {
    if (text.charCodeAt(index) !== previous.charCodeAt(index)) return false;
    const fromEnd = previous.length - 1 - index;
    if (text.charCodeAt(fromEnd) !== previous.charCodeAt(fromEnd)) return false;
  }
  return true;
}

/** How far either side of a release's end is read to find the character it falls in. */
const CHARACTER_WINDOW = 64;
let graphemes: Intl.Segmenter | undefined;

/**
 * `end`, or the end of the character it falls inside, `boundary` being a character's end before
 * it: what a reader sees as one character (an emoji with a skin tone, a family joined by
 * zero-width joiners, a flag, a letter with its accent) is released whole, never as its pieces.
 * Only a window around `end` is read (a run of flags from its start), so the cost does not grow
 * with the text. Without `Intl.Segmenter`, only surrogate pairs are kept whole.
 */
function characterEnd(text: string, end: number, boundary: number): number {
  // Nothing more released this frame (or all of it): no character to look inside.
  if (end <= boundary || end >= text.length) return end;
  if (typeof Intl.Segmenter !== 'function') return isHighSurrogate(text.charCodeAt(end - 1)) ? end + 1 : end;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let from = Math.max(boundary, end - CHARACTER_WINDOW);
  // Flags pair regional indicators from the start of their run: the window starts there, or at
  // the end of what is shown, which is a character's end.
  if (from > boundary && isHighSurrogate(text.charCodeAt(from - 1))) from -= 1;
  while (from - 2 >= boundary && isRegionalIndicator(text, from - 2)) from -= 2;
  const character = graphemes.segment(text.slice(from, end + CHARACTER_WINDOW)).containing(end - 1 - from);
  return character === undefined ? end : Math.max(end, from + character.index + character.segment.length);
}

/** Whether a regional indicator (half a flag, U+1F1E6 to U+1F1FF) starts at `index`. */
function isRegionalIndicator(text: string, index: number): boolean {
  const low = text.charCodeAt(index + 1);
  return text.charCodeAt(index) === 0xd83c && low >= 0xdde6 && low <= 0xddff;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
