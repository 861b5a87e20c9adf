import { join } from 'node:path';
import ts from 'typescript';

/**
 * Type-checks `files` with the workspace's `tsconfig.base.json` (its path aliases included, so
 * `@jobs/queue-contracts` resolves to the source) and returns the diagnostics of those files,
 * one message each; `[]` when they compile. The files may live outside the workspace (a temp
 * folder): `rootDir` is dropped for them.
 */
export function typeCheckFiles(repoRoot: string, files: readonly string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(repoRoot, 'tsconfig.base.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) throw new Error('tsconfig.base.json could not be read');
  const program = ts.createProgram([...files], { ...config.options, rootDir: undefined, noEmit: true, noUnusedLocals: false });
  return ts
    .getPreEmitDiagnostics(program)
    .flatMap((d) => (d.file && files.includes(d.file.fileName) ? [`${d.file.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`] : []));
}
