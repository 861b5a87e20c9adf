import { resolve } from 'node:path';

/**
 * Loads a `.env` file into `process.env` with Node's own parser (`process.loadEnvFile`, Node ≥
 * 20.12), the one way every entry point (each worker's `main.ts` and so its built bundle,
 * `npm run workers`, the demo, the smoke test) reads it. A variable already set in the
 * environment wins over the file; a missing file is fine (production sets real variables).
 * Call it first thing in an entry point, before the configuration is read.
 * @param file - looked up from the current directory; default `.env`.
 * @returns the absolute path of the file loaded, or undefined when there is none.
 * @throws the file system's error for anything but a missing file (e.g. EACCES, a directory).
 */
export function loadDotEnv(file = '.env'): string | undefined {
  const path = resolve(file);
  try {
    process.loadEnvFile(path);
    return path;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
