import type { LanguageRegistration, ThemeRegistrationAny } from 'shiki/core';

/**
 * A message to the tokenizer (the highlight worker, or its stand-in on the main thread). Only plain
 * data, so that it can be posted to a worker: the main thread loads themes and grammars through the
 * app's loaders (functions cannot cross) and sends what they loaded; a block's grammar state stays
 * with the tokenizer (it cannot cross either), so a block is named by an id and sends only new lines.
 */
export type TokenizerRequest =
  | { type: 'themes'; light: ThemeRegistrationAny; dark: ThemeRegistrationAny }
  | { type: 'language'; grammar: LanguageRegistration[] }
  | {
      type: 'lines';
      block: number;
      /** Shiki's name of the block's language. */
      language: string;
      /** The index of the first line in the block: 0 starts the block again, from no grammar state. */
      start: number;
      lines: string[];
      /** The block's last line is among these: its state is freed once they are tokenized. */
      last: boolean;
    }
  | { type: 'free'; block: number };

/** A token of a line: its text, and its colour in the light and the dark theme if it has one. */
export interface HighlightedToken {
  content: string;
  light?: string;
  dark?: string;
}

/** The tokenizer's answer to a `lines` request, or word that it failed (a worker that failed is replaced). */
export type TokenizerReply =
  { type: 'lines'; block: number; start: number; lines: HighlightedToken[][] } | { type: 'failed'; reason: string };
