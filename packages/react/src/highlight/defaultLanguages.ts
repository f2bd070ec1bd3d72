import type { LanguageLoader } from './CodeHighlighter.js';

const typescript: LanguageLoader = () => import('shiki/langs/typescript.mjs');
const javascript: LanguageLoader = () => import('shiki/langs/javascript.mjs');
const python: LanguageLoader = () => import('shiki/langs/python.mjs');
const shell: LanguageLoader = () => import('shiki/langs/shellscript.mjs');
const rust: LanguageLoader = () => import('shiki/langs/rust.mjs');
const yaml: LanguageLoader = () => import('shiki/langs/yaml.mjs');
const cpp: LanguageLoader = () => import('shiki/langs/cpp.mjs');
const csharp: LanguageLoader = () => import('shiki/langs/csharp.mjs');
const ruby: LanguageLoader = () => import('shiki/langs/ruby.mjs');
const kotlin: LanguageLoader = () => import('shiki/langs/kotlin.mjs');
const markdown: LanguageLoader = () => import('shiki/langs/markdown.mjs');

/**
 * The languages `highlight()` knows without being told, by the names models write after a fence.
 * Each is a chunk of its own (bundlers split every `import()`), fetched the first time a block in
 * it appears.
 */
export const defaultLanguages: Readonly<Record<string, LanguageLoader>> = {
  typescript,
  ts: typescript,
  mts: typescript,
  cts: typescript,
  tsx: () => import('shiki/langs/tsx.mjs'),
  javascript,
  js: javascript,
  mjs: javascript,
  cjs: javascript,
  jsx: () => import('shiki/langs/jsx.mjs'),
  json: () => import('shiki/langs/json.mjs'),
  python,
  py: python,
  bash: shell,
  sh: shell,
  shell,
  shellscript: shell,
  zsh: shell,
  html: () => import('shiki/langs/html.mjs'),
  css: () => import('shiki/langs/css.mjs'),
  sql: () => import('shiki/langs/sql.mjs'),
  go: () => import('shiki/langs/go.mjs'),
  rust,
  rs: rust,
  yaml,
  yml: yaml,
  diff: () => import('shiki/langs/diff.mjs'),
  java: () => import('shiki/langs/java.mjs'),
  c: () => import('shiki/langs/c.mjs'),
  cpp,
  'c++': cpp,
  csharp,
  cs: csharp,
  ruby,
  rb: ruby,
  php: () => import('shiki/langs/php.mjs'),
  kotlin,
  kt: kotlin,
  swift: () => import('shiki/langs/swift.mjs'),
  markdown,
  md: markdown,
};
