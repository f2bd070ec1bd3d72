import type { Tokens } from 'marked';

/** A formula as the lexer found it: its TeX, whether it is displayed, whether its closing delimiter has arrived. */
export interface MathToken extends Tokens.Generic {
  type: 'math' | 'mathBlock';
  raw: string;
  /** The TeX between the delimiters. */
  text: string;
  /** `$$…$$` or `\[…\]`: rendered on a line of its own. */
  display: boolean;
  /** Whether the closing delimiter has arrived (a block can end the text unclosed while it streams). */
  closed: boolean;
}
