import type { MarkedOptions } from 'marked';

/** How every message is lexed: GitHub's markdown, a single line break kept as a space. */
export const lexerOptions: MarkedOptions = { gfm: true, breaks: false };
