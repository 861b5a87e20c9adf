/** The stdin-like stream {@link readPassword} reads. */
export type PasswordInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/**
 * Reads one line (the password, without its line end) from `input`. When `prompt` is given the
 * prompt is written there and a TTY input is put in raw mode, so the typed characters are not
 * echoed; backspace deletes, Ctrl-C aborts (rejects). Piped input: the first line, or all of it
 * when it has no line end.
 */
export function readPassword(input: PasswordInput, prompt?: NodeJS.WritableStream, promptText = 'Password: '): Promise<string> {
  const raw = prompt !== undefined && input.isTTY === true && typeof input.setRawMode === 'function';
  // Raw mode before the prompt: a password typed as soon as the prompt shows must not be echoed.
  if (raw) input.setRawMode?.(true);
  if (prompt) prompt.write(promptText);
  input.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      if (raw) input.setRawMode?.(false);
      input.pause();
      if (prompt) prompt.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === '\n' || ch === '\r') return finish();
        if (ch === '\u0003') return finish(new Error('aborted'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const onEnd = () => finish();
    input.on('data', onData);
    input.on('end', onEnd);
  });
}
