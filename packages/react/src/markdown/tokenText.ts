import type { Token, Tokens } from 'marked';
import { decodeEntities } from './decodeEntities.js';

/** The readable text of a block, without markup: what a screen reader should hear for it. */
export function tokenText(token: Token): string {
  switch (token.type) {
    case 'code': {
      const language = (token as Tokens.Code).lang;
      return language ? `Code block in ${language}.` : 'Code block.';
    }
    case 'table':
      return 'Table.';
    case 'hr':
    case 'space':
    case 'def':
      return '';
    case 'list':
      return (token as Tokens.List).items.map((item) => tokensText(item.tokens)).join('\n');
    case 'image':
      return decodeEntities((token as Tokens.Image).text);
    case 'codespan':
    case 'escape':
      return (token as Tokens.Codespan).text;
    case 'html':
      return token.raw;
    default: {
      const nested = (token as { tokens?: Token[] }).tokens;
      if (nested !== undefined) return tokensText(nested);
      const text = (token as { text?: unknown }).text;
      return typeof text === 'string' ? decodeEntities(text) : '';
    }
  }
}

function tokensText(tokens: readonly Token[]): string {
  return tokens.map(tokenText).join('');
}
