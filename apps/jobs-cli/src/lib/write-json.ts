/**
 * Writes `value` as JSON for scripts: pretty (2 spaces) by default, one line with `line` (for
 * streams such as `stats --watch --json`, one object per line). Always ends with a newline.
 */
export function writeJson(stdout: NodeJS.WritableStream, value: unknown, line = false): void {
  stdout.write(`${line ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
}
