import type { LanguageRegistration, ThemeRegistrationAny } from 'shiki/core';
import { HighlightedLines } from './HighlightedLines.js';
import type { TokenizerReply, TokenizerRequest } from './TokenizerRequest.js';

/** Loads a language's grammar: `() => import('shiki/langs/ruby.mjs')`, or any module whose default export is one. */
export type LanguageLoader = () => Promise<{ default: LanguageRegistration[] }>;

/** Loads a colour theme: `() => import('shiki/themes/github-light-default.mjs')`. */
export type ThemeLoader = () => Promise<{ default: ThemeRegistrationAny }>;

/** Where tokenizing runs: in a worker (`true`, or one the app makes), or on the main thread (`false`). */
export type WorkerOption = boolean | (() => Worker);

/** How many blocks' lines are kept for a block that mounts again (a block settling, a list scrolled back). */
const KEPT_BLOCKS = 64;

/**
 * About how many characters of lines go in one request: a block that arrives whole comes back in
 * several batches, shown as each arrives (and, on the main thread, tokenized a batch per task).
 */
const BATCH = 1_500;

/** Where requests go if shiki cannot load on the main thread either (offline): its blocks stay plain. */
const dropped = (): Tokenizer => ({ postMessage() {} });

/** What requests are posted to: a worker, or the tokenizer on the main thread. */
interface Tokenizer {
  postMessage(request: TokenizerRequest): void;
}

/**
 * One `highlight()` plugin's highlighter: shiki in a worker (or on the main thread where there is
 * none), started with the first code block, each language loaded with its first block, and the
 * highlighted lines of recent blocks. Nothing here throws: a language or shiki that fails to load
 * leaves its blocks plain, and a worker that fails is replaced by the main thread.
 */
export class CodeHighlighter {
  private started: Promise<void> | undefined;
  /** Where requests go; replaced by the main thread's tokenizer if the worker fails. */
  private tokenizer: Promise<Tokenizer> | undefined;
  private worker: Worker | undefined;
  /** Numbers the tokenizer: a new one has no block's grammar state. */
  private generation = 0;
  /** The themes and grammars sent, to send again to a tokenizer that replaces the worker. */
  private readonly setup: TokenizerRequest[] = [];
  /** Each loader's language as shiki names it once loaded; null if it failed. */
  private readonly loaded = new Map<LanguageLoader, string | null>();
  private readonly loading = new Map<LanguageLoader, Promise<boolean>>();
  private readonly recent: HighlightedLines[] = [];
  /** The blocks the tokenizer holds state for or owes lines to, by id. */
  private readonly open = new Map<number, HighlightedLines>();
  private blocks = 0;

  constructor(
    private readonly languages: Readonly<Record<string, LanguageLoader>>,
    private readonly themes: { readonly light: ThemeLoader; readonly dark: ThemeLoader },
    private readonly workerOption: WorkerOption = true,
  ) {}

  /** Whether blocks in `language` (a fence's language, any case) can be highlighted. */
  knows(language: string): boolean {
    return Object.hasOwn(this.languages, language.toLowerCase());
  }

  /**
   * Sends the lines of `code` that are complete and not yet sent to be tokenized; they come back
   * to `lines`, which tells its subscribers. Returns false if the language has not loaded (call
   * {@link load}), or could not. Called on each render of a block: it costs the new lines only.
   */
  highlight(lines: HighlightedLines, code: string, complete: boolean): boolean {
    const name = this.nameOf(lines.language);
    if (name == null) return false;
    for (const request of lines.requests(code, complete, name, this.generation, BATCH)) {
      this.open.set(lines.id, lines);
      this.post(request);
    }
    return true;
  }

  /** Loads shiki and `language`; resolves to whether it can now be highlighted. Never rejects. */
  load(language: string): Promise<boolean> {
    const loader = this.languages[language.toLowerCase()];
    if (loader === undefined) return Promise.resolve(false);
    let loading = this.loading.get(loader);
    if (loading === undefined) {
      loading = Promise.all([this.start(), loader()]).then(
        ([, grammar]) => {
          this.send({ type: 'language', grammar: grammar.default });
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
    const lines = new HighlightedLines(this.blocks++, language);
    this.recent.push(lines);
    if (this.recent.length > KEPT_BLOCKS) {
      // A block left unfinished (a stream stopped in it) would keep its grammar state for ever.
      const evicted = this.recent.shift()!;
      if (this.open.delete(evicted.id)) {
        this.post({ type: 'free', block: evicted.id });
        evicted.forget();
      }
    }
    return lines;
  }

  private nameOf(language: string): string | null | undefined {
    const loader = this.languages[language.toLowerCase()];
    return loader === undefined ? null : this.loaded.get(loader);
  }

  /** Loads the themes and starts the tokenizer, once. */
  private start(): Promise<void> {
    return (this.started ??= Promise.all([this.themes.light(), this.themes.dark()]).then(([light, dark]) => {
      this.tokenizer = this.startWorker() ?? this.onMainThread();
      this.send({ type: 'themes', light: light.default, dark: dark.default });
    }));
  }

  private startWorker(): Promise<Tokenizer> | undefined {
    if (this.workerOption === false || (this.workerOption === true && typeof Worker === 'undefined')) return;
    let worker: Worker;
    try {
      worker =
        this.workerOption === true
          ? new Worker(new URL('./highlightWorker.js', import.meta.url), { type: 'module' })
          : this.workerOption();
    } catch {
      // A content security policy without `worker-src`, or a bundle without the worker's file.
      return;
    }
    worker.addEventListener('message', (event: MessageEvent<TokenizerReply>) => {
      if (event.data.type === 'failed') this.fallBack(worker);
      else this.receive(event.data);
    });
    // The worker's file did not load (a dev server that pre-bundled this module, a 404), or it threw.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fallBack(worker);
    });
    worker.addEventListener('messageerror', () => this.fallBack(worker));
    this.worker = worker;
    return Promise.resolve(worker);
  }

  private onMainThread(): Promise<Tokenizer> {
    return import('./BlockTokenizer.js').then(({ BlockTokenizer }) => {
      // A batch per task: a long block that arrives whole is tokenized between the page's other work.
      const tokenizer = new BlockTokenizer(
        (reply) => {
          // On the main thread a failure is shiki's or a grammar's own: the blocks stay as they are.
          if (reply.type === 'lines') this.receive(reply);
        },
        () => new Promise((resolve) => setTimeout(resolve, 0)),
      );
      return { postMessage: (request: TokenizerRequest) => tokenizer.receive(request) };
    }, dropped);
  }

  /**
   * Tokenizes on the main thread from now on: the themes and grammars are sent again, then every
   * open block's lines (the worker had their grammar states), of which those shown stay as they are.
   */
  private fallBack(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    worker.terminate();
    this.tokenizer = this.onMainThread();
    this.generation++;
    for (const request of this.setup) this.post(request);
    for (const lines of this.open.values()) {
      const name = this.nameOf(lines.language);
      if (name != null) for (const request of lines.again(name, this.generation, BATCH)) this.post(request);
    }
  }

  /** Posts a theme or a grammar, kept to send again to a tokenizer that replaces the worker. */
  private send(request: TokenizerRequest): void {
    this.setup.push(request);
    this.post(request);
  }

  private post(request: TokenizerRequest): void {
    const tokenizer = this.tokenizer;
    void tokenizer?.then((target) => {
      try {
        // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's has no origin
        target.postMessage(request);
      } catch {
        // Something that does not clone (a grammar made with functions in it): the main thread needs no copy.
        if (this.worker !== undefined && target === this.worker) this.fallBack(this.worker);
      }
    });
  }

  private receive(reply: Extract<TokenizerReply, { type: 'lines' }>): void {
    const lines = this.open.get(reply.block);
    if (lines === undefined) return;
    lines.receive(reply);
    if (lines.complete) this.open.delete(reply.block);
  }
}
