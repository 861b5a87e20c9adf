import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/**
 * Reads and parses the JSON of `--data <file|->` (`-`: standard input).
 * @throws CliError (usage): the file cannot be read (naming it and why), or is not JSON (naming
 *   it, the parser's reason and, when the parser gives one, the line and column).
 */
export async function readJsonInput(option: string, source: string, stdin: NodeJS.ReadableStream | undefined): Promise<unknown> {
  const name = source === '-' ? 'standard input' : source;
  let text: string;
  try {
    if (source !== '-') text = await readFile(source, 'utf8');
    else if (stdin) text = await readAll(stdin);
    else throw new Error('no standard input');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new CliError(EXIT_CODES.usage, `${option}: cannot read ${name}: ${why}`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(EXIT_CODES.usage, `${option}: ${name} is not valid JSON: ${describeJsonError(err as Error, text)}`, { cause: err });
  }
}

/**
 * V8's message, with the line and column of its `at position N` (a character offset, which in a
 * file of several lines tells a person little); "unexpected end" is placed at the end.
 */
function describeJsonError(err: Error, text: string): string {
  const position = /at position (\d+)/.exec(err.message)?.[1];
  const at = position !== undefined ? Number(position) : /Unexpected end of JSON input/.test(err.message) ? text.length : undefined;
  if (at === undefined) return err.message;
  const before = text.slice(0, at).split('\n');
  return `${err.message.replace(/ in JSON at position \d+.*$/, '')} at line ${before.length}, column ${(before.at(-1) ?? '').length + 1} (position ${at})`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}
