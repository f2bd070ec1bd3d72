import { act, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@sluice/stream-client/testing';
import { StreamingMessage } from '../components/StreamingMessage.js';
import { pacing } from './pacing.js';

const lump = 'word '.repeat(80).trim();

/** The text a message shows, without its hidden announcement. */
function shown(container: HTMLElement): string {
  return container.querySelector('.sluice-message p')?.textContent ?? '';
}

describe('pacing()', () => {
  it('paces a streaming message given it as a plugin, and shows everything once it ends', () => {
    const clock = new ManualClock();
    const plugins = [pacing({ clock })];
    const view = render(<StreamingMessage content="Hello" streaming plugins={plugins} />);
    // The first token is never delayed.
    expect(shown(view.container)).toBe('Hello');
    clock.advance(100);
    view.rerender(<StreamingMessage content={`Hello ${lump}`} streaming plugins={plugins} />);
    expect(shown(view.container)).toBe('Hello');
    const lengths: number[] = [];
    for (let frame = 0; frame < 4; frame++) {
      act(() => {
        clock.frame();
      });
      lengths.push(shown(view.container).length);
    }
    // A few characters a frame, growing: the lump is spread out, not shown at once.
    expect(lengths[0]).toBeGreaterThan('Hello'.length);
    expect(lengths.at(-1)).toBeGreaterThan(lengths[0]!);
    expect(lengths.at(-1)).toBeLessThan(`Hello ${lump}`.length);
    view.rerender(<StreamingMessage content={`Hello ${lump}`} plugins={plugins} />);
    expect(shown(view.container)).toBe(`Hello ${lump}`);
  });

  it('changes nothing for a message that is not streaming', () => {
    const clock = new ManualClock();
    const view = render(<StreamingMessage content={`Hello ${lump}`} plugins={[pacing({ clock })]} />);
    expect(shown(view.container)).toBe(`Hello ${lump}`);
    expect(clock.framePending).toBe(false);
  });
});
