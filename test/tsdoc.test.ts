/*
 * Every symbol a package exports carries TSDoc, so an editor shows what it does on hover.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = [
  'packages/stream-client/src/index.ts',
  'packages/stream-client/src/server/index.ts',
  'packages/stream-client/src/testing/index.ts',
  'packages/react/src/index.ts',
  'packages/react/src/query/index.ts',
  'packages/redis/src/index.ts',
];

function undocumentedExports(entry: string, program: ts.Program): { checked: number; missing: string[] } {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(`${root}${entry}`)!;
  const module = checker.getSymbolAtLocation(source)!;
  const missing: string[] = [];
  let checked = 0;
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    // Declarations from other packages (re-exported for convenience) are documented where they live.
    const own = (symbol.declarations ?? []).filter((declaration) =>
      declaration.getSourceFile().fileName.startsWith(root + 'packages/'),
    );
    if (own.length === 0) continue;
    checked++;
    if (symbol.getDocumentationComment(checker).length === 0) missing.push(exported.name);
  }
  return { checked, missing };
}

describe('TSDoc', () => {
  const program = ts.createProgram(
    entries.map((entry) => `${root}${entry}`),
    {
      strict: true,
      jsx: ts.JsxEmit.ReactJSX,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
    },
  );

  it.each(entries)('documents every export of %s', (entry) => {
    const { checked, missing } = undocumentedExports(entry, program);
    expect(checked).toBeGreaterThan(0);
    expect(missing).toEqual([]);
    console.info(`${entry}: ${checked} exports documented`);
  });
});
