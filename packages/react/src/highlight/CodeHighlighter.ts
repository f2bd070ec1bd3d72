import type {
  GrammarState,
  HighlighterCore,
  LanguageRegistration,
  ThemedToken,
  ThemeRegistrationAny,
} from 'shiki/core';
import { HighlightedLines } from './HighlightedLines.js';

/** Loads a language's grammar: `() => import('shiki/langs/ruby.mjs')`, or any module whose default export is one. */
export type LanguageLoader = () => Promise<{ default: LanguageRegistration[] }>;

/** Loads a colour theme: `() => import('shiki/themes/github-light-default.mjs')`. */
export type ThemeLoader = () => Promise<{ default: ThemeRegistrationAny }>;

/** Tokenizes one line, continuing from the grammar's state after the line before it. */
export type LineTokenizer = (
  line: string,
  state: GrammarState | undefined,
) => { tokens: ThemedToken[]; state: GrammarState | undefined };

/** How many blocks' lines are kept for a block that mounts again (a block settling, a list scrolled back). */
const KEPT_BLOCKS = 64;

/**
 * One `highlight()` plugin's highlighter: shiki, loaded with the first code block, each language
 * loaded with its first block, and the highlighted lines of recent blocks. Nothing here throws:
 * a language or shiki that fails to load leaves its blocks plain.
 */
export class CodeHighlighter {
  private shiki: HighlighterCore | undefined;
  private shikiLoading: Promise<HighlighterCore> | undefined;
  /** Each loader's language as shiki names it once loaded; null if it failed. */
  private readonly loaded = new Map<LanguageLoader, string | null>();
  private readonly loading = new Map<LanguageLoader, Promise<boolean>>();
  private readonly tokenizers = new Map<string, LineTokenizer>();
  private readonly recent: HighlightedLines[] = [];
  private readonly themeNames: { light: string; dark: string } = { light: '', dark: '' };

  constructor(
    private readonly languages: Readonly<Record<string, LanguageLoader>>,
    private readonly themes: { readonly light: ThemeLoader; readonly dark: ThemeLoader },
  ) {}

  /** Whether blocks in `language` (a fence's language, any case) can be highlighted. */
  knows(language: string): boolean {
    return Object.hasOwn(this.languages, language.toLowerCase());
  }

  /** The tokenizer of `language` if it has loaded, else undefined (call {@link load}). */
  tokenizer(language: string): LineTokenizer | undefined {
    const loader = this.languages[language.toLowerCase()];
    const name = loader === undefined ? undefined : this.loaded.get(loader);
    if (this.shiki === undefined || name == null) return undefined;
    let tokenizer = this.tokenizers.get(name);
    if (tokenizer === undefined) {
      const shiki = this.shiki;
      const options = { lang: name, themes: this.themeNames, defaultColor: false } as const;
      tokenizer = (line, state) => {
        const result = shiki.codeToTokens(line, state === undefined ? options : { ...options, grammarState: state });
        return { tokens: result.tokens[0] ?? [], state: result.grammarState };
      };
      this.tokenizers.set(name, tokenizer);
    }
    return tokenizer;
  }

  /** Loads shiki and `language`; resolves to whether it can now be highlighted. Never rejects. */
  load(language: string): Promise<boolean> {
    const loader = this.languages[language.toLowerCase()];
    if (loader === undefined) return Promise.resolve(false);
    let loading = this.loading.get(loader);
    if (loading === undefined) {
      loading = Promise.all([this.loadShiki(), loader()]).then(
        async ([shiki, grammar]) => {
          await shiki.loadLanguage(grammar.default);
          // A grammar module lists the languages it embeds first, itself last.
          this.loaded.set(loader, grammar.default.at(-1)?.name ?? null);
          return true;
        },
        () => {
          this.loaded.set(loader, null);
          return false;
        },
      );
      this.loading.set(loader, loading);
    }
    return loading;
  }

  /**
   * The highlighted lines to render `code` with: those of a recent block whose text `code`
   * continues (the same block mounted again), or new ones. Called when a block mounts, so the
   * comparison with whole texts here is paid once per block, not per update.
   */
  linesFor(code: string, language: string): HighlightedLines {
    const found = this.recent.find((lines) => lines.language === language && lines.isContinuedBy(code, true));
    if (found !== undefined) return found;
    const lines = new HighlightedLines(language);
    this.recent.push(lines);
    if (this.recent.length > KEPT_BLOCKS) this.recent.shift();
    return lines;
  }

  private loadShiki(): Promise<HighlighterCore> {
    return (this.shikiLoading ??= Promise.all([import('./createShiki.js'), this.themes.light(), this.themes.dark()])
      .then(([{ createShiki }, light, dark]) => {
        this.themeNames.light = light.default.name ?? 'light';
        this.themeNames.dark = dark.default.name ?? 'dark';
        return createShiki([light.default, dark.default]);
      })
      .then((shiki) => (this.shiki = shiki)));
  }
}
