import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/ManualClock.js';
import { DEFAULT_MAX_DELAY_MS, TextPacer } from './TextPacer.js';

/** Text of `length` characters, different at every position so a slice shows exactly where it ends. */
function letters(length: number, from = 0): string {
  let text = '';
  for (let index = from; index < from + length; index++) text += String.fromCharCode(97 + (index % 26));
  return text;
}

/** A pacer on a manual clock, and the lengths of the text it showed, in order. */
function paced(maxDelayMs?: number) {
  const clock = new ManualClock();
  const pacer = new TextPacer({ clock, ...(maxDelayMs === undefined ? {} : { maxDelayMs }) });
  const shown: number[] = [];
  pacer.subscribe(() => shown.push(pacer.getSnapshot().length));
  return { clock, pacer, shown };
}

/** Feeds `perFrame` characters each 16 ms frame for `frames` frames, running the pacer's frames as it goes. */
function steady(clock: ManualClock, pacer: TextPacer, text: string, perFrame: number, frames: number): string {
  for (let frame = 0; frame < frames; frame++) {
    clock.frame();
    text += letters(perFrame, text.length);
    pacer.push(text);
  }
  return text;
}

/** Runs frames for `milliseconds`. */
function wait(clock: ManualClock, milliseconds: number): void {
  for (let waited = 0; waited < milliseconds; waited += 16) clock.frame(Math.min(16, milliseconds - waited));
}

/** Runs frames until the pacer shows all of `text`, returning how many characters each frame added. */
function releaseAll(clock: ManualClock, pacer: TextPacer, text: string): number[] {
  const steps: number[] = [];
  while (pacer.getSnapshot().length < text.length && steps.length < 1000) {
    const before = pacer.getSnapshot().length;
    clock.frame();
    steps.push(pacer.getSnapshot().length - before);
  }
  return steps;
}

describe('TextPacer', () => {
  it('shows the first token at once, without waiting for a frame', () => {
    const { clock, pacer, shown } = paced();
    pacer.push('Hello');
    expect(pacer.getSnapshot()).toBe('Hello');
    expect(shown).toEqual([5]);
    expect(clock.framePending).toBe(false);
  });

  it('shows a first token that comes as a lump whole, since there is no rate to pace it at yet', () => {
    const { pacer } = paced();
    pacer.push('');
    pacer.push(letters(400));
    expect(pacer.getSnapshot()).toBe(letters(400));
  });

  it('releases a lump of 400 characters over several frames at about the rate text was arriving', () => {
    const { clock, pacer } = paced();
    pacer.push('Hi');
    // Two characters a millisecond, 32 a frame; then the provider holds 200 ms of text back.
    let text = steady(clock, pacer, 'Hi', 32, 30);
    // It keeps up with a steady stream, a frame behind it.
    expect(pacer.getSnapshot().length).toBeGreaterThanOrEqual(text.length - 32);
    wait(clock, 200);
    expect(pacer.getSnapshot()).toBe(text);
    text += letters(400, text.length);
    pacer.push(text);
    const steps = releaseAll(clock, pacer, text);
    expect(pacer.getSnapshot()).toBe(text);
    expect(steps.length).toBeGreaterThanOrEqual(12);
    expect(steps.length).toBeLessThanOrEqual(14);
    // Every frame but the last releases close to the 32 characters a frame that were arriving.
    for (const step of steps.slice(0, -1)) {
      expect(step).toBeGreaterThanOrEqual(28);
      expect(step).toBeLessThanOrEqual(36);
    }
  });

  it.each([
    ['a slow trickle, then a lump of 1000 characters', [...Array<number>(20).fill(100), 100], [1, 1000]],
    ['lumps after long pauses', [800, 1500, 40, 2000, 16], [300, 900, 5, 600, 2]],
    ['a lump in every frame', Array<number>(40).fill(16), [120]],
  ])('never leaves a character unshown longer than the delay allowed: %s', (_name, gaps, sizes) => {
    for (const maxDelayMs of [DEFAULT_MAX_DELAY_MS, 100]) {
      const { clock, pacer } = paced(maxDelayMs);
      const arrivals: { at: number; length: number }[] = [];
      let text = 'First';
      pacer.push(text);
      let lag = 0;
      gaps.forEach((gap, index) => {
        // The frames keep running through each gap, as a browser's would.
        for (let waited = 0; waited < gap; waited += 16) {
          clock.frame(Math.min(16, gap - waited));
          const late = arrivals.filter(({ at }) => at <= clock.time - maxDelayMs);
          const owed = late.at(-1)?.length ?? 0;
          expect(pacer.getSnapshot().length).toBeGreaterThanOrEqual(owed);
          lag = Math.max(lag, text.length - pacer.getSnapshot().length);
        }
        text += letters(sizes[index % sizes.length]!, text.length);
        pacer.push(text);
        arrivals.push({ at: clock.time, length: text.length });
      });
      releaseAll(clock, pacer, text);
      expect(pacer.getSnapshot()).toBe(text);
      // It did pace: at some frame some text was held back.
      expect(lag).toBeGreaterThan(0);
    }
  });

  it('shows everything at once on finish, whether the stream finished, was stopped or failed', () => {
    const { clock, pacer, shown } = paced();
    pacer.push('Hi');
    let text = steady(clock, pacer, 'Hi', 4, 10);
    text += letters(500, text.length);
    pacer.push(text);
    clock.frame();
    expect(pacer.getSnapshot().length).toBeLessThan(text.length);
    const notified = shown.length;
    pacer.finish();
    expect(pacer.getSnapshot()).toBe(text);
    expect(shown.length).toBe(notified + 1);
    expect(clock.framePending).toBe(false);
    // Nothing more happens: no frame runs, nothing is published.
    expect(clock.frame()).toBe(false);
    pacer.finish();
    expect(shown.length).toBe(notified + 1);
  });

  it('starts afresh, shown at once, when a text does not continue the previous one', () => {
    const { clock, pacer } = paced();
    pacer.push('The first answer');
    pacer.push(`The first answer${letters(300)}`);
    clock.frame();
    pacer.push('A second answer');
    expect(pacer.getSnapshot()).toBe('A second answer');
    // A new stream that starts empty: its first token shows at once too.
    pacer.push('');
    expect(pacer.getSnapshot()).toBe('');
    pacer.push('Third');
    expect(pacer.getSnapshot()).toBe('Third');
    expect(clock.framePending).toBe(false);
  });

  it('never ends a release between the two halves of a surrogate pair', () => {
    const { clock, pacer } = paced();
    let text = '🙂';
    pacer.push(text);
    // Odd chunk sizes, so the rate alone would often end in the middle of a pair.
    for (let frame = 0; frame < 40; frame++) {
      clock.frame();
      text += '🙂a'.repeat(frame % 3) + '🎉'.repeat(7);
      pacer.push(text);
    }
    wait(clock, 100);
    text += '👍'.repeat(301);
    pacer.push(text);
    const seen: string[] = [];
    pacer.subscribe(() => seen.push(pacer.getSnapshot()));
    releaseAll(clock, pacer, text);
    expect(seen.length).toBeGreaterThan(3);
    for (const snapshot of seen) expect(snapshot.at(-1)).not.toMatch(/[\uD800-\uDBFF]/);
  });

  it('never ends a release inside a character made of several code points: joined emoji, flags, accents', () => {
    const characters = [
      '👩‍👩‍👧‍👦',
      '👍🏽',
      '🇫🇷',
      '🏳️‍🌈',
      'e\u0301',
      '1️⃣',
      '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
    ];
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const { clock, pacer } = paced();
    let text = 'a';
    pacer.push(text);
    for (let frame = 0; frame < 30; frame++) {
      clock.frame();
      text += characters.join(' ');
      pacer.push(text);
    }
    wait(clock, 100);
    // A lump, released over several frames at the rate above.
    // Flags in a long run too: their halves pair from the start of the run, far behind a release's end.
    text += characters.join('').repeat(20) + '🇫🇷🇩🇪🇯🇵'.repeat(40);
    pacer.push(text);
    const seen: string[] = [];
    pacer.subscribe(() => seen.push(pacer.getSnapshot()));
    releaseAll(clock, pacer, text);
    expect(seen.length).toBeGreaterThan(3);
    // Each release ends where a character ends in the whole text.
    const ends = new Set([...segmenter.segment(text)].map(({ index, segment }) => index + segment.length));
    for (const snapshot of seen) expect(ends.has(snapshot.length)).toBe(true);
  });

  it('stops asking for frames once disposed, and picks up again when text is pushed', () => {
    const { clock, pacer, shown } = paced();
    pacer.push('Hi');
    const text = `Hi${letters(600)}`;
    pacer.push(text);
    expect(clock.framePending).toBe(true);
    pacer.dispose();
    expect(clock.framePending).toBe(false);
    const before = shown.length;
    expect(clock.frame()).toBe(false);
    expect(shown.length).toBe(before);
    // StrictMode disposes and mounts again: the next push carries on.
    pacer.push(text);
    releaseAll(clock, pacer, text);
    expect(pacer.getSnapshot()).toBe(text);
  });

  it('does not pace at all with a maxDelayMs of 0', () => {
    const { clock, pacer } = paced(0);
    pacer.push('Hi');
    pacer.push(`Hi${letters(500)}`);
    expect(pacer.getSnapshot()).toBe(`Hi${letters(500)}`);
    expect(clock.framePending).toBe(false);
  });

  it('keeps the same snapshot between changes, and publishes only when it changes', () => {
    const { clock, pacer, shown } = paced();
    pacer.push('Hi');
    const first = pacer.getSnapshot();
    pacer.push('Hi');
    expect(pacer.getSnapshot()).toBe(first);
    expect(shown).toEqual([2]);
    // A continuation waits for a frame: pushing it publishes nothing by itself.
    pacer.push(`Hi${letters(100)}`);
    expect(shown).toEqual([2]);
    clock.frame();
    expect(shown.length).toBe(2);
  });
});
