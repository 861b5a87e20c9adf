import ts from 'typescript';

/**
 * Turns a snippet written as an ES module with top-level `await` into a CommonJS-friendly module:
 * its import declarations stay at the top, everything else becomes the body of
 * `export async function run(): Promise<void>`. `prelude` (imports or declarations the snippet
 * leaves to its reader) goes between the two.
 */
export function exampleModule(snippet: string, prelude = ''): string {
  const source = ts.createSourceFile('snippet.ts', snippet, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const imports = source.statements.filter(ts.isImportDeclaration);
  const bodyStart = imports.length > 0 ? imports[imports.length - 1].end : 0;
  return `${snippet.slice(0, bodyStart)}\n${prelude}\n\nexport async function run(): Promise<void> {${snippet.slice(bodyStart)}\n}\n`;
}
