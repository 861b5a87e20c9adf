import { Writable } from 'node:stream';

/** A writable that keeps every JSON line written to it (pino's output), parsed. */
export interface JsonLineSink {
  /** Pass as the logger's destination. */
  readonly destination: Writable;
  /** Every line so far, parsed, in order. */
  readonly lines: Record<string, unknown>[];
}

/** Collects a logger's JSON lines in memory, for tests that assert on what was logged. */
export function jsonLineSink(): JsonLineSink {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { destination, lines };
}
