import { PassThrough } from 'node:stream';
import { readPassword, type PasswordInput } from './read-password';

function fakeTty(): { input: PasswordInput & PassThrough; events: string[] } {
  const events: string[] = [];
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (raw: boolean) => events.push(`raw ${raw}`) });
  return { input, events };
}

describe('readPassword', () => {
  it('from a terminal: raw mode (no echo) before the prompt, backspace deletes, Enter ends; raw mode off after', async () => {
    const { input, events } = fakeTty();
    const prompt = new PassThrough();
    prompt.on('data', (d) => events.push(`prompt ${JSON.stringify(String(d))}`));
    const read = readPassword(input, prompt, 'Password: ');
    input.write('pa');
    input.write('sx\u007fs\r');
    await expect(read).resolves.toBe('pass');
    expect(events).toEqual(['raw true', 'prompt "Password: "', 'raw false', 'prompt "\\n"']);
  });

  it('rejects on Ctrl-C', async () => {
    const { input } = fakeTty();
    const read = readPassword(input, new PassThrough());
    input.write('ab\u0003');
    await expect(read).rejects.toThrow('aborted');
  });

  it('from a pipe: the first line, or everything without a line end', async () => {
    const piped = new PassThrough();
    const first = readPassword(piped);
    piped.end('secret one\nsecond line\n');
    await expect(first).resolves.toBe('secret one');
    const bare = new PassThrough();
    const whole = readPassword(bare);
    bare.end('no-newline');
    await expect(whole).resolves.toBe('no-newline');
  });
});
