import type { GrammarState, HighlighterCore } from 'shiki/core';
import { createShiki } from './createShiki.js';
import type { HighlightedToken, TokenizerReply, TokenizerRequest } from './TokenizerRequest.js';

/**
 * Shiki tokenizing code blocks line by line, for the highlight worker (or, where there is no
 * worker, on the main thread): requests are served one after another, in the order received, each
 * `lines` request continuing its block from the grammar state its last one left.
 */
export class BlockTokenizer {
  private shiki: Promise<HighlighterCore> | undefined;
  private readonly themeNames = { light: '', dark: '' };
  /** The grammar state after each open block's last tokenized line. */
  private readonly states = new Map<number, GrammarState | undefined>();
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param reply - Where answers go: posted back to the main thread, or handed to it.
   * @param pause - Awaited before each request: on the main thread, a task boundary, so that a
   *   block that arrives whole is tokenized over several tasks, the page answering between them.
   */
  constructor(
    private readonly reply: (reply: TokenizerReply) => void,
    private readonly pause?: () => Promise<void>,
  ) {}

  /** Queues `request` behind those received before it. Never throws: a failure is replied. */
  receive(request: TokenizerRequest): void {
    this.queue = this.queue
      .then(this.pause)
      .then(() => this.serve(request))
      .then(
        (reply) => {
          if (reply !== undefined) this.reply(reply);
        },
        (error: unknown) => this.reply({ type: 'failed', reason: String(error) }),
      );
  }

  private async serve(request: TokenizerRequest): Promise<TokenizerReply | undefined> {
    switch (request.type) {
      case 'themes':
        this.themeNames.light = request.light.name ?? 'light';
        this.themeNames.dark = request.dark.name ?? 'dark';
        this.shiki = createShiki([request.light, request.dark]);
        await this.shiki;
        return undefined;
      case 'language':
        await (await this.loadedShiki()).loadLanguage(request.grammar);
        return undefined;
      case 'free':
        this.states.delete(request.block);
        return undefined;
      case 'lines':
        return this.tokenize(await this.loadedShiki(), request);
    }
  }

  private tokenize(shiki: HighlighterCore, request: Extract<TokenizerRequest, { type: 'lines' }>): TokenizerReply {
    const options = { lang: request.language, themes: this.themeNames, defaultColor: false } as const;
    let state = request.start === 0 ? undefined : this.states.get(request.block);
    const lines = request.lines.map((line) => {
      const result = shiki.codeToTokens(line, state === undefined ? options : { ...options, grammarState: state });
      state = result.grammarState;
      return (result.tokens[0] ?? []).map(({ content, htmlStyle }): HighlightedToken => {
        const light = htmlStyle?.['--shiki-light'];
        const dark = htmlStyle?.['--shiki-dark'];
        return light === undefined || dark === undefined ? { content } : { content, light, dark };
      });
    });
    if (request.last) this.states.delete(request.block);
    else this.states.set(request.block, state);
    return { type: 'lines', block: request.block, start: request.start, lines };
  }

  private loadedShiki(): Promise<HighlighterCore> {
    return this.shiki ?? Promise.reject(new Error('No themes received before the first language'));
  }
}
