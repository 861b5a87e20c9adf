import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readJsonInput } from './read-json-input';

const dir = mkdtempSync(join(tmpdir(), 'read-json-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readJsonInput', () => {
  it('parses a file or standard input', async () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, '{"a":[1,2]}');
    await expect(readJsonInput('--data', path, undefined)).resolves.toEqual({ a: [1, 2] });
    await expect(readJsonInput('--data', '-', Readable.from(['{"b"', ':true}']))).resolves.toEqual({ b: true });
  });

  it('names the file, line and column of bad JSON; the end for truncated input', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{\n  "a": 1,\n  b: 2\n}');
    await expect(readJsonInput('--data', path, undefined)).rejects.toThrow(new RegExp(`^--data: ${path} is not valid JSON: .* at line 3, column 3 \\(position 14\\)$`));
    await expect(readJsonInput('--data', '-', Readable.from(['{"a":'])))
      .rejects.toThrow('--data: standard input is not valid JSON: Unexpected end of JSON input at line 1, column 6 (position 5)');
  });

  it('a missing file or a directory is a usage error naming it', async () => {
    await expect(readJsonInput('--data', join(dir, 'none.json'), undefined)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('none.json: no such file') });
    await expect(readJsonInput('--data', dir, undefined)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('is a directory') });
  });
});
